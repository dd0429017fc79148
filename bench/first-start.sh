#!/bin/bash
# The first `npm start` of a checkout (after `npm install`, which builds dist/ and the UI): seconds
# from spawning `downbeat standalone` with a fresh DOWNBEAT_HOME to its line "720/720" (the sample
# month's backfill done). Usage: bench/first-start.sh REPOSITORY_FOLDER
repo=$1; home=$(mktemp -d); start=$(date +%s.%N)
cd "$repo"
DOWNBEAT_HOME=$home DOWNBEAT_ADMIN_USER=a DOWNBEAT_ADMIN_PASSWORD=passwordpassword node bin/downbeat.js standalone --port 0 > "$home/out.log" 2>&1 &
pid=$!
while ! grep -q "720/720" "$home/out.log" 2>/dev/null; do sleep 0.1; if ! kill -0 $pid 2>/dev/null; then echo "died"; cat "$home/out.log" | tail -5; exit 1; fi; done
end=$(date +%s.%N)
kill $pid; wait $pid 2>/dev/null
echo "$repo $(echo "$end - $start" | bc)"
rm -rf "$home"
