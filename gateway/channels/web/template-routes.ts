// The web mailbox's routes of staff templates: it reaches citizens only by SMS, so its one route is an approved SMS
// template with the SMS channel's checks, preview and console form.
import type { ChannelRoute } from '../adapter.js';
import { smsTemplateRoute } from '../sms/template-routes.js';

export const webTemplateRoutes: Readonly<Record<string, ChannelRoute>> = { sms: smsTemplateRoute };
