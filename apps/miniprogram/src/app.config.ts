export default defineAppConfig({
  pages: [
    'pages/index/index',
    'pages/points/index',
    'pages/coupons/index',
    'pages/mine/index',
    'pages/profile/index',
    'pages/export/index',
    'pages/staff/login',
    'pages/staff/invite',
    'pages/staff/index',
  ],
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
      {
        pagePath: 'pages/index/index',
        iconPath: 'assets/tabbar/home.png',
        selectedIconPath: 'assets/tabbar/home-active.png',
        text: '首页',
      },
      {
        pagePath: 'pages/points/index',
        iconPath: 'assets/tabbar/points.png',
        selectedIconPath: 'assets/tabbar/points-active.png',
        text: '积分',
      },
      {
        pagePath: 'pages/coupons/index',
        iconPath: 'assets/tabbar/coupons.png',
        selectedIconPath: 'assets/tabbar/coupons-active.png',
        text: '优惠券',
      },
      {
        pagePath: 'pages/mine/index',
        iconPath: 'assets/tabbar/mine.png',
        selectedIconPath: 'assets/tabbar/mine-active.png',
        text: '我的',
      },
    ],
  },
});
