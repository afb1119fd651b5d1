import 'reflect-metadata';
import { randomInt } from 'node:crypto';
import http from 'node:http';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { User } from '../src/entities';
import { runBench, startBenchServer } from './support';

/**
 * POST /imports/customers with a generated CSV: `rows` rows of which 5% repeat
 * the phone of an earlier row and 2% carry an invalid phone. The body is
 * streamed, as a browser upload would be. Prints the wall time, rows/s and
 * the import's report. Runs on DATABASE_URL (use a database of its own, e.g.
 * customers_bench): the numbers start at a random offset, so a re-run on the
 * same database mostly adds new customers.
 */
const MOBILE_PREFIXES = ['091', '094', '088', '083', '084', '085', '081', '082'];

function* csvLines(rows: number): Generator<string> {
  const prefix = MOBILE_PREFIXES[randomInt(0, MOBILE_PREFIXES.length)] ?? '091';
  const base = randomInt(0, 9_000_000);
  const phoneOf = (n: number) => `${prefix}${String((base + n) % 10_000_000).padStart(7, '0')}`;
  yield 'Họ tên,Số điện thoại,Email,Ngày sinh,Gender\n';
  let fresh = 0;
  for (let i = 0; i < rows; i += 1) {
    const roll = i % 100;
    if (roll < 2) {
      yield `Khách lỗi ${i},12345,,,\n`;
    } else if (roll < 7 && fresh > 0) {
      yield `Khách trùng ${i},${phoneOf(randomInt(0, fresh))},,,\n`;
    } else {
      const phone = phoneOf(fresh);
      fresh += 1;
      const birthday = `19${60 + (i % 40)}-0${1 + (i % 9)}-1${i % 10}`;
      yield `Nguyễn Văn ${i},${phone},khach${base}-${i}@example.com,${birthday},${i % 2 ? 'MALE' : 'FEMALE'}\n`;
    }
  }
}

function post(
  port: number,
  token: string,
  body: Readable,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/imports/customers',
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv; charset=utf-8' },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    body.pipe(req);
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rows: { type: 'string', default: '100000' } } });
  const rows = Number(values.rows);
  const server = await startBenchServer(1);
  try {
    const em = server.db.orm.em.fork();
    const admin = await em.findOneOrFail(User, { email: 'admin@demo.local' });
    const token = server.app.services.tokens.sign(admin.id).token;
    const started = performance.now();
    const response = await post(server.port, token, Readable.from(csvLines(rows)));
    const seconds = (performance.now() - started) / 1000;
    const report = JSON.parse(response.text) as Record<string, number | string>;
    process.stdout.write(
      [
        `customer import: ${rows} rows (5% duplicates, 2% invalid) in ${seconds.toFixed(2)} s, ${Math.round(rows / seconds)} rows/s (HTTP ${response.status})`,
        `report: processed ${report.processed}, imported ${report.imported}, merged into existing ${report.merged}, rejected ${report.rejected}`,
        '',
      ].join('\n'),
    );
  } finally {
    await server.close();
  }
}

runBench(main);
