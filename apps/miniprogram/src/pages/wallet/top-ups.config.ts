export default definePageConfig({ navigationBarTitleText: '充值记录', onReachBottomDistance: 120 });
