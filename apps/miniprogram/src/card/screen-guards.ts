import Taro from '@tarojs/taro';

export const SCREENSHOT_WARNING = '截图中的会员码无法重复使用，请出示实时会员码';

/**
 * While the member code is on screen (weapp only): full brightness so scanners read it, and a warning when the
 * member takes a screenshot. Returns the undo for when the page hides.
 */
export function guardMemberCodeScreen(): () => void {
  if (process.env.TARO_ENV !== 'weapp') return () => {};
  let previous: number | null = null;
  let restored = false;
  Taro.getScreenBrightness()
    .then(({ value }) => {
      if (restored) return;
      previous = value;
      return Taro.setScreenBrightness({ value: Math.max(value, 0.9) });
    })
    .catch(() => {});
  const onCapture = () => {
    void Taro.showToast({ title: SCREENSHOT_WARNING, icon: 'none', duration: 3000 });
  };
  Taro.onUserCaptureScreen(onCapture);
  return () => {
    restored = true;
    Taro.offUserCaptureScreen(onCapture);
    if (previous !== null) Taro.setScreenBrightness({ value: previous }).catch(() => {});
  };
}
