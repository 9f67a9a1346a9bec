-- Golden SPL 15 value list macro in (sqlite)
SELECT "host.name" AS "dest", "process.parent.name" AS "parent_process_name", COUNT(*) AS "count"
FROM "events"
WHERE ((lower("winlog.channel") = lower('Microsoft-Windows-Sysmon/Operational') AND "event.code" = '1') OR (lower("winlog.channel") = lower('Security') AND "event.code" = '4688')) AND ((lower("process.parent.name") IN (lower('wscript.exe'), lower('cscript.exe'), lower('mshta.exe')) AND lower("process.name") = lower('powershell.exe')))
GROUP BY "host.name", "process.parent.name"
