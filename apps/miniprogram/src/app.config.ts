export default defineAppConfig({
  pages: ['pages/index/index', 'pages/points/index', 'pages/coupons/index', 'pages/mine/index'],
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#1f1b2e',
    navigationBarTitleText: '会员中心',
    navigationBarTextStyle: 'white',
    backgroundColor: '#f5f5f7',
  },
  tabBar: {
    color: '#8a8a99',
    selectedColor: '#b8862f',
    backgroundColor: '#ffffff',
    borderStyle: 'black',
    list: [
      { pagePath: 'pages/index/index', text: '首页' },
      { pagePath: 'pages/points/index', text: '积分' },
      { pagePath: 'pages/coupons/index', text: '优惠券' },
      { pagePath: 'pages/mine/index', text: '我的' },
    ],
  },
});
