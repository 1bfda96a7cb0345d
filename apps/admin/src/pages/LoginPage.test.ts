import { loginInputProblem } from './LoginPage';

describe('loginInputProblem', () => {
  it('asks for the account first, then the password, in the shared schema words', () => {
    expect(loginInputProblem('', '')).toBe('请输入账号');
    expect(loginInputProblem('boss', '')).toBe('请输入密码');
  });

  it('accepts a filled-in form', () => {
    expect(loginInputProblem('boss', 'secret')).toBeNull();
  });
});
