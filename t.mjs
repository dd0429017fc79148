import { DuckDBInstance, DuckDBDataChunkWriter, JSToDuckDBValueConverter } from '@duckdb/node-api';
const inst = await DuckDBInstance.create('/tmp/t1.duckdb');
const c = await inst.connect();
await c.run('create or replace table t(id int primary key, v varchar, at_ts timestamp); create or replace table u(x int)');
console.log('multi ok');
const r = await c.run('insert into t values (1, $v, now()::timestamp), (2, $v, null)', { v: 'a' });
console.log('rowsChanged', r.rowsChanged);
await c.run('begin');
const ap = await c.createAppender('t');
const w = DuckDBDataChunkWriter.forAppender(ap, { converter: JSToDuckDBValueConverter });
w.appendRow([3, 'x', new Date('2018-11-01T00:00:00.123Z')]);
w.flush(); ap.closeSync();
console.log((await c.runAndReadAll('select count(*) n from t')).getRowObjectsJS());
await c.run('rollback');
console.log('after rollback', (await c.runAndReadAll('select count(*) n from t')).getRowObjectsJS());
const m = await c.run(`merge into t using (select 1 as id, 'b' as v, now()::timestamp as at_ts union all select 5, 'c', null) s on t.id = s.id
 when matched and s.v is distinct from t.v then update set v = s.v when not matched then insert (id, v, at_ts) values (s.id, s.v, s.at_ts)`);
console.log('merge rows', m.rowsChanged, (await c.runAndReadAll('select * from t order by id')).getRowObjectsJS());
try { await c.run('select $a', { a: 1, b: 2 }); console.log('extra param ok'); } catch (e) { console.log('extra param err', e.message); }
const rr = await c.runAndReadAll("select 123::bigint b, 1.5::double d, md5('x') h, extract(isodow from timestamp '2018-11-05') wd, extract(week from timestamp '2018-11-05') wk, timestamp '2018-11-01 00:00:00.123' ts, $x::bigint as xb", {x: 5});
console.log(rr.getRowObjectsJS());
try { const i2 = await DuckDBInstance.create('/tmp/t1.duckdb'); console.log('second instance same process ok?'); } catch (e) { console.log('second', e.message); }
c.closeSync();
