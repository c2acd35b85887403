#!/bin/bash
# Kills Stryker test hosts that have run longer than LIMIT seconds (default 150) once Stryker is testing mutants. A
# mutant that turns a kernel's loop into an endless one hangs its test host, and Stryker.NET 5.1 sometimes fails to
# cancel that session ("Error while cancelling VsTest session"): the host then spins on a core for the rest of the run.
# Once it is killed, Stryker retries the session ("Retrying the test session"). The initial test run and the coverage
# pass run every filtered test in one host, for minutes, so nothing is killed before LOG (Stryker's output) says
# "mutants will be tested". Only the hosts of the Stryker process writing LOG are touched, so two runs can share the
# machine, each with its own watchdog. Beside a run:  tools/mutation/watchdog.sh stryker.log 150 &
log=$(realpath "$1")
limit=${2:-150}
until grep -q "mutants will be tested" "$log" 2>/dev/null; do sleep 10; done
stryker=""
for pid in $(pgrep -f Stryker.CLI); do
  [ "$(readlink "/proc/$pid/fd/1")" = "$log" ] && stryker=$pid
done
[ -n "$stryker" ] || { echo "no Stryker process writes $log"; exit 1; }
echo "$(date +%T) watching the test hosts of Stryker process $stryker"
while kill -0 "$stryker" 2>/dev/null; do
  for pid in $(pgrep -f "SharpGrad.Tests.runtimeconfig.json"); do
    age=$(ps -o etimes= -p "$pid" 2>/dev/null | tr -d ' ')
    parent=$(ps -o ppid= -p "$pid" 2>/dev/null | tr -d ' ')
    if [ -n "$age" ] && [ "$age" -gt "$limit" ] && [ "$parent" = "$stryker" ]; then
      echo "$(date +%T) killed test host $pid after $age s"
      kill "$pid"
    fi
  done
  sleep 30
done
