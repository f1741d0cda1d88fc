// Home: write a letter, see one's own letters, or check progress with serial and extraction code.
Component({
  methods: {
    onWrite() {
      void wx.navigateTo({ url: '/pages/write/index' });
    },
    onLetters() {
      void wx.navigateTo({ url: '/pages/letters/index' });
    },
    onQuery() {
      void wx.navigateTo({ url: '/pages/query/index' });
    },
  },
});
