/**
 * A minimal valid PDF 1.4, written by hand: one A4 page of text lines in Helvetica (WinAnsi), with
 * a correct cross-reference table. No dates and no random ID inside: same lines, same bytes.
 */

export interface PdfLine {
  text: string
  /** Font size in points. Default 12. */
  size?: number
}

/** Escapes a PDF literal string and keeps it within Latin-1 (other characters become `?`). */
function pdfString(text: string): string {
  const latin1 = [...text].map((c) => (c.charCodeAt(0) <= 0xff ? c : '?')).join('')
  return `(${latin1.replace(/[\\()]/g, (c) => `\\${c}`)})`
}

/** Renders lines of text on one A4 page, top to bottom. */
export function renderPdf(lines: readonly PdfLine[]): Buffer {
  let y = 780
  const ops = ['BT']
  for (const line of lines) {
    const size = line.size ?? 12
    y -= Math.round(size * 1.8)
    ops.push(`/F1 ${size} Tf`, `1 0 0 1 56 ${y} Tm`, `${pdfString(line.text)} Tj`)
  }
  ops.push('ET')
  const content = Buffer.from(ops.join('\n'), 'latin1')
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
  ]
  const chunks: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')]
  const offsets: number[] = []
  let length = chunks[0]!.length
  const push = (buf: Buffer): void => {
    chunks.push(buf)
    length += buf.length
  }
  objects.forEach((body, i) => {
    offsets.push(length)
    push(Buffer.from(`${i + 1} 0 obj\n${body}\nendobj\n`, 'latin1'))
  })
  offsets.push(length)
  push(Buffer.from(`5 0 obj\n<< /Length ${content.length} >>\nstream\n`, 'latin1'))
  push(content)
  push(Buffer.from('\nendstream\nendobj\n', 'latin1'))
  const xref = length
  // Each xref entry is exactly 20 bytes: 10-digit offset, space, 5-digit generation, space, flag, CR LF.
  const entries = offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n\r\n`).join('')
  push(
    Buffer.from(
      `xref\n0 ${offsets.length + 1}\n0000000000 65535 f\r\n${entries}` +
        `trailer\n<< /Size ${offsets.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`,
      'latin1',
    ),
  )
  return Buffer.concat(chunks)
}
