-- Golden SPL 21 from datamodel (sqlite)
SELECT *
FROM "events"
WHERE ((lower("winlog.channel") = lower('Microsoft-Windows-Sysmon/Operational') AND "event.code" = '1') OR (lower("winlog.channel") = lower('Security') AND "event.code" = '4688')) AND ((lower("process.name") = lower('bitsadmin.exe') AND lower("process.command_line") LIKE lower('%/transfer%') ESCAPE '\'))
