# Every alias of every column of every type (SPEC 2, typed here from the SPEC,
# not from schema.c), plain and as a spreadsheet writes it: *ALIAS（必填）.
# Each run has the type's required columns under canonical names plus the
# column under test; the value must land, normalised, under the canonical name.
cd "$TMP" || exit 99
# type;column;value;normalised;aliases
cat > table <<'T'
demand;demand_id;X1;X1;需求编号 编号 序号
demand;submitted;2024/3/5;2024-03-05;提交日期 登记日期 日期
demand;district;鼓楼区 ;鼓楼区;区 区县 所属区
demand;street;凤凰街道;凤凰街道;街道
demand;community;四平路社区;四平路社区;社区 村（社区）
demand;grid;第1网格;第1网格;网格
demand;category;政务;gov;服务类别 类别 需求类别
demand;content;助餐;助餐;需求内容 内容 微心愿
demand;priority;紧急;urgent;紧急程度 优先级
demand;quantity;3;3;需求数量 数量
demand;needed_by;2024-3-20;2024-03-20;期望完成日期 截止日期
demand;requester;张三;张三;居民姓名 联系人 姓名
demand;phone;139-0000-1234;13900001234;联系电话 电话 手机
demand;status;已办结;done;状态 办理状态
demand;done_date;20240309;2024-03-09;办结日期 完成日期
demand;satisfaction;满意;4;满意度 评价
demand;resource_id;ZY1;ZY1;认领资源编号 承接资源编号
resource;resource_id;R9;R9;资源编号 编号 序号
resource;unit;司法局;司法局;单位名称 提供单位 单位
resource;unit_kind;企业;enterprise;单位类型
resource;district;鼓楼区;鼓楼区;区 区县 所属区
resource;street;凤凰街道;凤凰街道;街道
resource;community;四平路社区;四平路社区;社区
resource;category;不限;any;服务类别 类别
resource;content;咨询;咨询;资源内容 服务内容 内容
resource;keywords;法律|咨询;法律|咨询;关键词 匹配关键词
resource;capacity;"1,000";1000;可服务数量 服务容量 容量
resource;available_from;2024.1.1;2024-01-01;开始日期 起始日期
resource;available_until;2024年12月31日;2024-12-31;结束日期 截止日期
resource;contact;王五;王五;联系人
resource;phone;025-84561234;02584561234;联系电话 电话
pair;district;鼓楼区;鼓楼区;区 区县 所属区
pair;street;凤凰街道;凤凰街道;街道
pair;community;渡江社区;渡江社区;社区
pair;unit;某企业;某企业;单位名称 共建单位 结对单位
member;member_id;DY9;DY9;党员编号 编号
member;name;李四;李四;姓名
member;branch_id;ZB9;ZB9;支部编号 所在支部编号
member;member_kind;直管;resident;党员类别 管理类别
member;joined;1998/7/1;1998-07-01;入党日期
member;phone;13900001234;13900001234;联系电话 电话
branch;branch_id;ZB9;ZB9;支部编号 编号
branch;name;第一党支部;第一党支部;支部名称 名称
branch;district;鼓楼区;鼓楼区;区 区县 所属区
branch;street;凤凰街道;凤凰街道;街道
branch;community;社区甲;社区甲;社区
branch;branch_kind;社区;社区;支部类型
activity;date;2024/6/1;2024-06-01;日期 活动日期
activity;member_id;DY9;DY9;党员编号
activity;branch_id;ZB9;ZB9;支部编号
activity;kind;学习;学习;活动类型 类型 事项
activity;hours;1.5;1.5;时长 小时
activity;note;备注一;备注一;说明 备注
activity;demand_id;XQ9;XQ9;需求编号
T
# The required columns of each type, by canonical name, with valid values.
base() {
	case $1 in
	demand) echo "demand_id=D1 submitted=2024-03-01 street=S community=C category=gov content=x" ;;
	resource) echo "resource_id=R1 unit=U category=gov content=x capacity=5 street=S" ;;
	pair) echo "community=C unit=U" ;;
	member) echo "member_id=M1 name=N branch_id=B1" ;;
	branch) echo "branch_id=B1 name=N" ;;
	activity) echo "date=2024-06-01 member_id=M1 kind=K" ;;
	esac
}
n=0 bad=0
while IFS=';' read -r type col value want aliases; do
	for alias in $aliases; do
		for cell in "$alias" "*$alias（必填）"; do
			head=$cell row=$value
			for kv in $(base "$type"); do
				[ "${kv%%=*}" = "$col" ] && continue
				head="$head,${kv%%=*}" row="$row,${kv#*=}"
			done
			printf '%s\n%s\n' "$head" "$row" > in.csv
			got=$(qy-ingest -t "$type" in.csv 2> err | awk -F'\t' -v c="$col" '
				NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i }
				NR == 2 && k { print $k }')
			n=$((n + 1))
			if [ "$got" != "$want" ]; then
				bad=$((bad + 1))
				echo "$type: header '$cell' value '$value': got '$got', want '$want' under $col: $(head -n 1 err)"
			fi
		done
	done
done < table
echo "$n headers checked, $bad wrong"
