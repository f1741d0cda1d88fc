// The conversation command that takes satisfaction answers on the official account and by SMS, while the sender has
// a survey open. With several open surveys the answer must name the letter's serial; an ambiguous answer gets a short
// question back, never a guess. An answer to a survey the case store withdrew is not taken: it gets the same reply as
// an answer that came too late.
import type { CommandHandler } from '../conversation/commands/handler.js';
import { answerSurvey, openSurveysOf } from './surveys.js';
import { parseSurveyAnswer } from './parse-answer.js';
import { withdrawnSurveysOf } from './withdraw.js';

export const surveyAnswerCommand: CommandHandler = {
  name: 'survey-answer',
  async handle(ctx) {
    if (!ctx.text || ctx.command) return false;
    const parsed = parseSurveyAnswer(ctx.text);
    if (!parsed) return false;
    const open = await openSurveysOf(ctx.tx, ctx.message.channel, ctx.message.senderId, ctx.senderIsPhone);
    const chosen = parsed.serial ? open.filter((s) => s.serial === parsed.serial) : open;
    if (chosen.length === 0) {
      // A withdrawn survey counts only when no open one could be meant (or the answer names its serial).
      const withdrawn = await withdrawnSurveysOf(ctx.tx, ctx.message.channel, ctx.message.senderId, ctx.senderIsPhone);
      const named = parsed.serial ? withdrawn.filter((s) => s.serial === parsed.serial) : open.length ? [] : withdrawn;
      const ended = named[0];
      if (ended) {
        await ctx.reply('survey_closed', { serial: ended.serial ?? '' }, { letterId: ended.letter_id });
        return true;
      }
      if (open.length === 0) return false;
    }
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
