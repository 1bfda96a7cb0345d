// Taro compiles TSX through babel; the preset handles JSX, TypeScript and the mini-program transforms.
// `hot: false`: builds run with NODE_ENV=development too (the e2e start command), and React Refresh is neither
// installed nor useful for a one-off build.
module.exports = {
  presets: [['taro', { framework: 'react', ts: true, compiler: 'webpack5', hot: false }]],
};
