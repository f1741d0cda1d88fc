// The ordered list of command handlers: the first that takes a message answers it. A feature adds its handler here
// (the survey answers go before `query`, as a survey answer is only taken while a survey is open).
import type { CommandHandler } from './handler.js';
import { helpCommand } from './help.js';
import { optInCommand, optOutCommand } from './optout.js';
import { queryCommand } from './query.js';
import { surveyAnswerCommand } from '../../surveys/answer-command.js';

export const commandHandlers: readonly CommandHandler[] = [
  surveyAnswerCommand,
  queryCommand,
  helpCommand,
  optOutCommand,
  optInCommand,
];

export type { CommandContext, CommandHandler } from './handler.js';
