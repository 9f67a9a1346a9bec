-- Golden SPL 03 upper case keywords (sqlite)
SELECT "host.name" AS "Processes.dest", COUNT(*) AS "count"
FROM "events"
WHERE ((lower("winlog.channel") = lower('Microsoft-Windows-Sysmon/Operational') AND "event.code" = '1') OR (lower("winlog.channel") = lower('Security') AND "event.code" = '4688')) AND ((lower("process.name") = lower('powershell.exe') AND (lower("process.command_line") LIKE lower('%-enc %') ESCAPE '\' OR lower("process.command_line") LIKE lower('%-EncodedCommand %') ESCAPE '\') AND NOT COALESCE(lower("process.parent.name") = lower('explorer.exe'), FALSE)))
GROUP BY "host.name"
