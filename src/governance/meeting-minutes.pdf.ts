import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';

/**
 * A procès-verbal as a PDF (A4), laid out from its Markdown: the subset the minutes use (headings,
 * lists, quotes, tables, **bold**, `code`, rules). Fonts: DejaVu Sans, Unicode TrueType, bundled
 * by the `dejavu-fonts-ttf` package (accents, narrow no-break spaces, “ ” ’ — €): nothing is
 * downloaded at run time. Each page's footer names the version and its SHA-256.
 */

const require = createRequire(import.meta.url);
const FONT_FILES = {
  regular: 'DejaVuSans.ttf',
  bold: 'DejaVuSans-Bold.ttf',
  italic: 'DejaVuSans-Oblique.ttf',
  mono: 'DejaVuSansMono.ttf',
} as const;
type FontName = keyof typeof FONT_FILES;
let fonts: Record<FontName, Buffer> | null = null;
function loadFonts(): Record<FontName, Buffer> {
  fonts ??= Object.fromEntries(
    Object.entries(FONT_FILES).map(([name, file]) => [name, readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${file}`))]),
  ) as Record<FontName, Buffer>;
  return fonts;
}

const MARGIN = 56;
const INK = '#1a1a1a';
const MUTED = '#555555';
const RULE = '#b0b0b0';

/** `\|` and `\#` as written in the Markdown, back to plain characters. */
const unescape = (text: string) => text.replace(/\\([|#\\])/g, '$1');

type Doc = InstanceType<typeof PDFDocument>;

/** A line with **bold** and `code` spans, at the current position, wrapped in `width`. */
function inline(doc: Doc, text: string, options: { x?: number; width: number; base?: FontName; size: number; color?: string }) {
  const spans = unescape(text)
    .split(/(\*\*[^*]+\*\*|`[^`]+`)/)
    .filter((s) => s.length > 0);
  if (!spans.length) spans.push(' ');
  const base = options.base ?? 'regular';
  doc.fillColor(options.color ?? INK);
  spans.forEach((span, i) => {
    const bold = span.startsWith('**') && span.endsWith('**');
    const code = span.startsWith('`') && span.endsWith('`');
    const font: FontName = bold ? 'bold' : code ? 'mono' : base;
    const body = bold ? span.slice(2, -2) : code ? span.slice(1, -1) : span;
    doc.font(font).fontSize(code ? options.size - 1.5 : options.size);
    const last = i === spans.length - 1;
    if (i === 0 && options.x !== undefined) doc.text(body, options.x, doc.y, { width: options.width, continued: !last });
    else doc.text(body, { width: options.width, continued: !last });
  });
}

function table(doc: Doc, rows: string[][], width: number) {
  const columns = Math.max(...rows.map((r) => r.length));
  const size = 7.5;
  // Each column as wide as its widest cell (the header in bold); the first one takes what is left.
  const natural = Array.from(
    { length: columns },
    (_, i) =>
      Math.max(
        ...rows.map((row, r) =>
          doc
            .font(r === 0 ? 'bold' : 'regular')
            .fontSize(size)
            .widthOfString(unescape(row[i] ?? '')),
        ),
      ) + 8,
  );
  const others = natural.slice(1).reduce((sum, w) => sum + w, 0);
  const scale = others > width * 0.8 ? (width * 0.8) / others : 1;
  const widths = natural.map((w, i) => (i === 0 ? 0 : w * scale));
  widths[0] = width - widths.reduce((sum, w) => sum + w, 0);
  rows.forEach((row, r) => {
    doc.font(r === 0 ? 'bold' : 'regular').fontSize(size);
    const height = Math.max(...row.map((c, i) => doc.heightOfString(unescape(c), { width: widths[i] - 6 }))) + 6;
    if (doc.y + height > doc.page.height - MARGIN - 20) doc.addPage();
    const top = doc.y;
    let x = MARGIN;
    if (r === 0) doc.rect(MARGIN, top, width, height).fill('#eeeeee');
    row.forEach((c, i) => {
      doc
        .fillColor(INK)
        .font(r === 0 ? 'bold' : 'regular')
        .fontSize(size)
        .text(unescape(c), x + 3, top + 3, { width: widths[i] - 6, align: i === 0 ? 'left' : 'right' });
      x += widths[i];
    });
    doc
      .moveTo(MARGIN, top + height)
      .lineTo(MARGIN + width, top + height)
      .lineWidth(0.5)
      .strokeColor(RULE)
      .stroke();
    doc.x = MARGIN;
    doc.y = top + height;
  });
  doc.moveDown(0.6);
}

const cells = (line: string) =>
  line
    .trim()
    .replace(/^\|/, '')
    .replace(/(?<!\\)\|$/, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());

/** The PDF of a procès-verbal (or an extract) from its Markdown; `footer` is printed on every page with its number. */
export function renderMinutesPdf(markdown: string, meta: { title: string; footer: string; createdAt: Date }): Promise<Uint8Array> {
  const f = loadFonts();
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    bufferPages: true,
    info: { Title: meta.title, Author: 'Collegia', Producer: 'Collegia', Creator: 'Collegia', CreationDate: meta.createdAt },
    lang: 'fr-FR',
  });
  for (const [name, data] of Object.entries(f)) doc.registerFont(name, data);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Uint8Array>((resolve, reject) => {
    doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on('error', reject);
  });

  const width = doc.page.width - 2 * MARGIN;
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i];
    doc.x = MARGIN;
    if (line.startsWith('|')) {
      const rows: string[][] = [];
      while (i < lines.length && lines[i].startsWith('|')) {
        if (!/^\|[-:| ]+\|$/.test(lines[i].trim())) rows.push(cells(lines[i]));
        i += 1;
      }
      i -= 1;
      table(doc, rows, width);
      continue;
    }
    const heading = /^(#{1,5}) (.*)$/.exec(line);
    if (heading) {
      const level = heading[1].length;
      const size = [18, 13.5, 11.5, 10.5, 9.5][level - 1];
      if (doc.y > doc.page.height - MARGIN - 60) doc.addPage();
      doc.moveDown(level <= 2 ? 0.6 : 0.3);
      inline(doc, heading[2], { x: MARGIN, width, base: 'bold', size, color: level === 1 ? '#0b2e59' : INK });
      if (level <= 2) {
        const y = doc.y + 2;
        doc
          .moveTo(MARGIN, y)
          .lineTo(MARGIN + width, y)
          .lineWidth(level === 1 ? 1 : 0.5)
          .strokeColor(level === 1 ? '#0b2e59' : RULE)
          .stroke();
        doc.y = y + 4;
      }
      doc.moveDown(0.25);
      continue;
    }
    if (line.trim() === '---') {
      doc.moveDown(0.5);
      doc
        .moveTo(MARGIN, doc.y)
        .lineTo(MARGIN + width, doc.y)
        .lineWidth(0.5)
        .strokeColor(RULE)
        .stroke();
      doc.moveDown(0.5);
      continue;
    }
    if (!line.trim()) {
      doc.moveDown(0.35);
      continue;
    }
    const bullet = /^- (.*)$/.exec(line);
    const numbered = /^(\d+)\. (.*)$/.exec(line);
    if (bullet || numbered) {
      const mark = bullet ? '•' : `${numbered![1]}.`;
      const top = doc.y;
      doc
        .font('regular')
        .fontSize(9.5)
        .fillColor(INK)
        .text(mark, MARGIN + 4, top, { width: 16 });
      doc.y = top;
      inline(doc, bullet ? bullet[1] : numbered![2], { x: MARGIN + 20, width: width - 20, size: 9.5 });
      continue;
    }
    if (line.startsWith('>')) {
      const top = doc.y;
      inline(doc, line.replace(/^> ?/, ''), { x: MARGIN + 14, width: width - 14, base: 'italic', size: 9.5, color: MUTED });
      doc
        .moveTo(MARGIN + 5, top)
        .lineTo(MARGIN + 5, doc.y)
        .lineWidth(1.5)
        .strokeColor(RULE)
        .stroke();
      continue;
    }
    inline(doc, line, { x: MARGIN, width, size: 9.5 });
  }

  const range = doc.bufferedPageRange();
  for (let p = range.start; p < range.start + range.count; p += 1) {
    doc.switchToPage(p);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font('regular')
      .fontSize(6.5)
      .fillColor(MUTED)
      .text(`${meta.footer} — page ${p + 1} / ${range.count}`, MARGIN, doc.page.height - MARGIN / 2 - 4, {
        width,
        align: 'center',
        lineBreak: false,
      });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}
