-- Golden SPL 06 bucket span (sqlite)
SELECT strftime('%Y-%m-%dT%H:%M:%S.000000Z', (CAST(strftime('%s', "@timestamp") AS INTEGER) / 3600) * 3600, 'unixepoch') AS "_time", "host.name" AS "Computer", COUNT(*) AS "count"
FROM "events"
WHERE (((lower("winlog.channel") = lower('Microsoft-Windows-Sysmon/Operational') AND "event.code" = '1') OR (lower("winlog.channel") = lower('Security') AND "event.code" = '4688')) AND lower("winlog.channel") = lower('Microsoft-Windows-Sysmon/Operational')) AND (lower("process.executable") LIKE lower('%\\net.exe') ESCAPE '\')
GROUP BY strftime('%Y-%m-%dT%H:%M:%S.000000Z', (CAST(strftime('%s', "@timestamp") AS INTEGER) / 3600) * 3600, 'unixepoch'), "host.name"
HAVING COUNT(*) >= 2
