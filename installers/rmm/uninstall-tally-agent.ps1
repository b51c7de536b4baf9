<#
.SYNOPSIS
  Uninstalls the Tally agent (RMM tools, Intune uninstall command). Safe to run
  again: exits 0 when nothing is installed. The MSI tells the collector the
  device was uninstalled (best effort) before removing the files.

.NOTES
  Exit codes are msiexec's: 0 success (or not installed), 3010 reboot required,
  1641 reboot started, 1603 failure, 1618 another installation in progress.
#>
[CmdletBinding()]
param()
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$UpgradeCode = '{6F0C2B9E-3C1D-4E7A-9B52-7A0D54C1E2F3}'
$installer = New-Object -ComObject WindowsInstaller.Installer
$products = @($installer.RelatedProducts($UpgradeCode))
if ($products.Count -eq 0) {
  Write-Output 'Tally agent is not installed.'
  exit 0
}
$result = 0
foreach ($productCode in $products) {
  $log = Join-Path $env:windir 'Temp\tally-agent-uninstall.log'
  $process = Start-Process -FilePath "$env:windir\System32\msiexec.exe" -ArgumentList @('/x', $productCode, '/qn', '/norestart', '/l*v', "`"$log`"") -Wait -PassThru
  $code = $process.ExitCode
  Write-Output "msiexec /x $productCode exited with $code (log: $log)"
  if ($code -ne 0 -and $result -in @(0, 3010)) { $result = $code }
}
exit $result
