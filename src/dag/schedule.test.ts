import { Cron } from 'croner';
import { describe, expect, it } from 'vitest';
import { CronSchedule } from './schedule.ts';

describe('CronSchedule', () => {
  // Hourly and daily patterns in UTC step by arithmetic; croner says what the answer must be.
  it.each(['@hourly', '@daily', '17 * * * *', '5 3 * * *', '59 23 * * *'])(
    '%s in UTC fires when croner says it does',
    (expression) => {
      const schedule = new CronSchedule(expression);
      const pattern = { '@hourly': '0 * * * *', '@daily': '0 0 * * *' }[expression] ?? expression;
      const cron = new Cron(pattern, { timezone: 'UTC', paused: true, mode: '5-part' });
      let seed = 7;
      const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
      for (let i = 0; i < 500; i += 1) {
        // Any millisecond of 1970–2100, and every fifth one exactly on a fire time.
        let date = new Date(Math.floor(random() * 4.1e12));
        if (i % 5 === 0) date = cron.nextRun(date) ?? date;
        expect(schedule.next(date)).toEqual(cron.nextRun(date));
        const fires = cron.match(date) && date.getUTCSeconds() === 0 && date.getUTCMilliseconds() === 0;
        expect(schedule.isFireTime(date)).toBe(fires);
        expect(schedule.atOrBefore(date)).toEqual(fires ? date : cron.previousRuns(1, date)[0]);
      }
    },
  );

  it('keeps croner for a zone with daylight saving time: a day of 23 hours', () => {
    const daily = new CronSchedule('@daily', 'Europe/Amsterdam');
    expect(daily.intervalContaining(new Date('2018-03-25T12:00:00Z'))).toEqual({
      start: new Date('2018-03-24T23:00:00Z'),
      end: new Date('2018-03-25T22:00:00Z'),
    });
  });
});
