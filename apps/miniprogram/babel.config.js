// Taro compiles TSX through babel; the preset handles JSX, TypeScript and the mini-program transforms.
module.exports = {
  presets: [['taro', { framework: 'react', ts: true, compiler: 'webpack5' }]],
};
