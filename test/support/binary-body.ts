import type { Response } from 'superagent';

/** A supertest parser that keeps a file answer (XLSX, PDF, ZIP) as one Buffer in `res.body`. */
export function binaryBody(res: Response, done: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}
