-- A try's output: the JSON value its task returned (an `fn`'s return value), at most 64 KiB,
-- apart from the outcome an operator reports (rows, checks, summary). NULL when it gave none.
ALTER TABLE task_tries ADD COLUMN output TEXT;
