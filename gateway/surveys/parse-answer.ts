// Reading a satisfaction answer typed on the official account or by SMS: 1/2/3 or 满意/基本满意/不满意, full- or
// half-width, with or without the letter's serial and a few words around it ("我选2", "CD2026…0001 3 路灯还是不亮").
// Anything after the rating is the reason; 重办/重新办理 asks for the case to be reopened.
export interface ParsedAnswer {
  score: 1 | 2 | 3;
  serial?: string;
  reason?: string;
  reopen: boolean;
}

const answerPattern =
  /^(?:([A-Z]{1,6}-?\d{6,})[\s:：,，]*)?(?:我选|选择|选|评价|回复)?[\s:：]*(基本满意|不满意|满意|[123](?!\d))(?:[\s:：,，。.、!！-]+(.*))?$/su;

export function parseSurveyAnswer(normalized: string): ParsedAnswer | null {
  const m = answerPattern.exec(normalized.toUpperCase());
  if (!m) return null;
  const word = m[2]!;
  const score = word === '1' || word === '满意' ? 1 : word === '2' || word === '基本满意' ? 2 : 3;
  const rest = (m[3] ?? '').trim();
  const reopen = /重办|重新办理|重新处理/u.test(rest);
  const reason = rest.replace(/^(谢谢|感谢)[!！。.]*$/u, '').trim();
  return {
    score,
    serial: m[1]?.replace('-', ''),
    reason: reason.length > 0 ? reason.slice(0, 500) : undefined,
    reopen,
  };
}
