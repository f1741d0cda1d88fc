// 关怀模式 (larger text for older citizens): one switch on the home page, kept on the phone; every page reads it when
// it opens and puts the `care` class on its root, which app.wxss enlarges.
const CARE_KEY = 'mp.care';

export function careOn(): boolean {
  return wx.getStorageSync(CARE_KEY) === true;
}

export function setCare(on: boolean): void {
  wx.setStorageSync(CARE_KEY, on);
}

export const careBehavior = Behavior({
  data: { care: '' },
  lifetimes: {
    attached() {
      this.setData({ care: careOn() ? 'care' : '' });
    },
  },
});
