export default definePageConfig({ navigationBarTitleText: '店员模式' });
