export default definePageConfig({ navigationBarTitleText: '开通店员账号' });
