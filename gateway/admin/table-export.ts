// Streams a list to the browser as .xlsx (exceljs's streaming WorkbookWriter) or CSV, row batch by row batch, so an
// export of 100,000 rows never holds them all in memory: the rows come from an async source that pages through the
// database, and writing pauses while the browser is slow to read.
import { PassThrough } from 'node:stream';
import { once } from 'node:events';
import type { Context } from 'koa';

export interface ExportColumn {
  header: string;
  key: string;
  width?: number;
}

export type ExportRow = Record<string, string | number | null>;

const shanghai = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

/** A time as staff read it: Asia/Shanghai, `YYYY-MM-DD HH:mm:ss`. */
export const shanghaiTime = (v: Date | string | null): string => (v ? shanghai.format(new Date(v)) : '');

const csvCell = (v: string | number | null) => {
  const s = v === null ? '' : String(v);
  // Quotes around everything that needs them; a leading = + - @ is prefixed so a spreadsheet never runs it.
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) || safe !== s ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export function streamExport(
  ctx: Context,
  o: {
    format: 'xlsx' | 'csv';
    filename: string;
    sheet: string;
    columns: ExportColumn[];
    rows: AsyncIterable<ExportRow[]>;
  },
): void {
  const out = new PassThrough();
  const name = `${o.filename}.${o.format}`;
  ctx.set(
    'Content-Disposition',
    `attachment; filename="${encodeURIComponent(name)}"; filename*=UTF-8''${encodeURIComponent(name)}`,
  );
  ctx.type =
    o.format === 'xlsx'
      ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
      : 'text/csv; charset=utf-8';
  ctx.body = out;
  const drained = async () => {
    if (out.writableNeedDrain) await once(out, 'drain');
  };
  const write = async () => {
    if (o.format === 'csv') {
      // The BOM makes Excel read the file as UTF-8 (Chinese headers and text).
      out.write(`\uFEFF${o.columns.map((c) => csvCell(c.header)).join(',')}\r\n`);
      for await (const batch of o.rows) {
        out.write(batch.map((r) => `${o.columns.map((c) => csvCell(r[c.key] ?? null)).join(',')}\r\n`).join(''));
        await drained();
      }
      out.end();
      return;
    }
    // Loaded on first use: exceljs is large and only exports need it.
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    const ws = wb.addWorksheet(o.sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = o.columns.map((c) => ({ header: c.header, key: c.key, width: c.width ?? 16 }));
    ws.getRow(1).font = { bold: true };
    ws.getRow(1).commit();
    for await (const batch of o.rows) {
      for (const r of batch) ws.addRow(r).commit();
      await drained();
    }
    ws.commit();
    await wb.commit();
  };
  write().catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
}
