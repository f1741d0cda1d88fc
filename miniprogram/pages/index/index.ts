// Home: write a letter, see one's own letters, or check progress with serial and extraction code.
Component({
  methods: {
    onWrite() {
      wx.navigateTo({ url: '/pages/write/index' });
    },
    onLetters() {
      wx.navigateTo({ url: '/pages/letters/index' });
    },
    onQuery() {
      wx.navigateTo({ url: '/pages/query/index' });
    },
  },
});
