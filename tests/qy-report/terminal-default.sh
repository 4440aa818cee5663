# The default format: text on a terminal (script(1) gives us one), tsv in a
# pipe or file.
qy-report --as-of 2024-06-30 demands.tsv 2> /dev/null | head -1
script -qc "qy-report --as-of 2024-06-30 demands.tsv 2> /dev/null" /dev/null | head -2 | tr -d '\r'
