// Text the sandbox prints for whoever tries the channels by hand: the example letter and the word that submits it.
export const messages = {
  'sandbox.exampleLetter': '小区路灯坏了',
  'sandbox.exampleSubmit': '提交',
} as const;
