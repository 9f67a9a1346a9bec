-- MsiExec Registers a DLL (sqlite)
SELECT *
FROM "events"
WHERE ((lower("winlog.channel") = lower('Microsoft-Windows-Sysmon/Operational') AND "event.code" = '1') OR (lower("winlog.channel") = lower('Security') AND "event.code" = '4688')) AND (((lower("process.executable") LIKE lower('%\\msiexec.exe') ESCAPE '\' OR lower("process.pe.original_file_name") = lower('msiexec.exe')) AND (lower("process.command_line") LIKE lower('% -y%') ESCAPE '\' OR lower("process.command_line") LIKE lower('% /y%') ESCAPE '\' OR lower("process.command_line") LIKE lower('% –y%') ESCAPE '\' OR lower("process.command_line") LIKE lower('% —y%') ESCAPE '\' OR lower("process.command_line") LIKE lower('% ―y%') ESCAPE '\')))
