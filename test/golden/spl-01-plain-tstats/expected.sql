-- Golden SPL 01 plain tstats (sqlite)
SELECT "host.name" AS "dest", "user.name" AS "user", COUNT(*) AS "count", MIN("@timestamp") AS "firstTime"
FROM "events"
WHERE ((lower("winlog.channel") = lower('Microsoft-Windows-Sysmon/Operational') AND "event.code" = '1') OR (lower("winlog.channel") = lower('Security') AND "event.code" = '4688')) AND (lower("process.name") = lower('whoami.exe'))
GROUP BY "host.name", "user.name"
