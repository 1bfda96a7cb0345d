export default definePageConfig({ navigationBarTitleText: '积分', onReachBottomDistance: 120 });
