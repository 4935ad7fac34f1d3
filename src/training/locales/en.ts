// English strings of the training pages. es.ts has the same keys.
export const trainingEn = {
  nav: { training: 'Training' },
};
