// The conversation command that takes satisfaction answers on the official account and by SMS, while the sender has
// a survey open. With several open surveys the answer must name the letter's serial; an ambiguous answer gets a short
// question back, never a guess.
import type { CommandHandler } from '../conversation/commands/handler.js';
import { answerSurvey, openSurveysOf } from './surveys.js';
import { parseSurveyAnswer } from './parse-answer.js';

export const surveyAnswerCommand: CommandHandler = {
  name: 'survey-answer',
  async handle(ctx) {
    if (!ctx.text || ctx.command) return false;
    const parsed = parseSurveyAnswer(ctx.text);
    if (!parsed) return false;
    const open = await openSurveysOf(ctx.tx, ctx.message.channel, ctx.message.senderId, ctx.senderIsPhone);
    if (open.length === 0) return false;
    const chosen = parsed.serial ? open.filter((s) => s.serial === parsed.serial) : open;
    if (chosen.length !== 1) {
      await ctx.reply('survey_which', {
        serials: open
          .map((s) => s.serial ?? '')
          .filter(Boolean)
          .join('、'),
      });
      return true;
    }
    const survey = chosen[0]!;
    const outcome = await answerSurvey(ctx.tx, ctx.config, survey.id, {
      score: parsed.score,
      reason: parsed.reason,
      reopen: parsed.reopen,
      channel: ctx.message.channel,
    });
    if (outcome === 'too_late' || outcome === 'expired')
      await ctx.reply('survey_closed', { serial: survey.serial ?? '' }, { letterId: survey.letter_id });
    return true;
  },
};
