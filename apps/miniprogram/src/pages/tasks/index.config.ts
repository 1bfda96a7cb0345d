export default definePageConfig({ navigationBarTitleText: '签到与任务', enableShareAppMessage: true });
