// Builders for the console's template form inputs, shared by the channels that describe their routes' forms.
import type { TemplateFormField } from './adapter.js';

export const formMap = (name: string, label: string): TemplateFormField => ({ name, label, kind: 'map' });
export const formInput = (name: string, label: string, optional = false): TemplateFormField => ({
  name,
  label,
  kind: 'input',
  optional,
});
export const formText = (name: string, label: string): TemplateFormField => ({ name, label, kind: 'text' });
export const formNumbers = (name: string, label: string): TemplateFormField => ({
  name,
  label,
  kind: 'map',
  numbers: true,
  optional: true,
});
export const formList = (name: string, label: string): TemplateFormField => ({
  name,
  label,
  kind: 'input',
  list: true,
  optional: true,
});
