#!/bin/bash
# Kills Stryker test hosts that have run longer than LIMIT seconds (default 150). A mutant that turns a kernel's loop
# into an endless one hangs its test host, and Stryker.NET 5.1 sometimes fails to cancel that session ("Error while
# cancelling VsTest session"): the host then spins on a core for the rest of the run. Once it is killed, Stryker
# retries the session ("Retrying the test session"). Run it beside a Stryker run:  tools/mutation/watchdog.sh 150 &
limit=${1:-150}
while true; do
  for pid in $(pgrep -f "SharpGrad.Tests.runtimeconfig.json"); do
    age=$(ps -o etimes= -p "$pid" 2>/dev/null | tr -d ' ')
    parent=$(ps -o ppid= -p "$pid" 2>/dev/null | tr -d ' ')
    if [ -n "$age" ] && [ "$age" -gt "$limit" ] && ps -o args= -p "$parent" | grep -q Stryker.CLI; then
      echo "$(date +%T) killed test host $pid after $age s"
      kill "$pid"
    fi
  done
  sleep 30
done
