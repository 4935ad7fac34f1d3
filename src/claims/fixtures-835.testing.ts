// 835 files for tests: segments wrapped in ISA/GS/ST … SE/GE/IEA with the counts right.
export function x835(segments: readonly string[]): string {
  const body = ['ST*835*0001', ...segments];
  return [
    'ISA*00*          *00*          *ZZ*SDMC           *ZZ*BAYPEER        *260501*1200*^*00501*000000555*0*T*:',
    'GS*HP*SDMC*BAYPEER*20260501*1200*555*X*005010X221A1',
    ...body,
    `SE*${body.length + 1}*0001`,
    'GE*1*555',
    'IEA*1*000000555',
  ]
    .map((s) => `${s}~`)
    .join('\n');
}
