# SPDX-License-Identifier: GPL-2.0
# bash completion for heyctl(8): subcommands, their verbs and keywords,
# keyword values, and interface names from /sys/class/net.

_heyctl_ifaces() {
	local d
	for d in /sys/class/net/*; do
		[[ -e $d ]] && printf '%s\n' "${d##*/}"
	done
}

# _heyctl_list CUR ITEMS...: complete the last item of a comma list.
_heyctl_list() {
	local cur=$1 prefix=""
	shift
	if [[ $cur == *,* ]]; then
		prefix=${cur%,*},
		cur=${cur##*,}
	fi
	local item
	COMPREPLY=()
	for item in $(compgen -W "$*" -- "$cur"); do
		[[ ,$prefix == *",$item,"* ]] || COMPREPLY+=("$prefix$item")
	done
	compopt -o nospace 2>/dev/null
}

# _heyctl_pairs CUR PREV USED KEYWORD...: "keyword value" argument lists;
# the keywords not yet in USED (the words typed so far).
_heyctl_pairs() {
	local cur=$1 prev=$2 used=$3 kw
	shift 3
	local left=()
	for kw in "$@"; do
		[[ " $used " == *" $kw "* ]] || left+=("$kw")
	done
	COMPREPLY=($(compgen -W "${left[*]}" -- "$cur"))
}

_heyctl_errnos='ECONNREFUSED ETIMEDOUT EHOSTUNREACH ENETUNREACH ECONNRESET
	ECONNABORTED EPROTONOSUPPORT EACCES EPERM'

_heyctl() {
	local cur prev words cword
	if declare -F _init_completion >/dev/null; then
		_init_completion || return
	else
		words=("${COMP_WORDS[@]}")
		cword=$COMP_CWORD
		cur=${words[cword]}
		prev=${words[cword - 1]}
	fi

	# the subcommand: the first word that is not an option
	local i cmd="" at=0
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		-*) ;;
		*) cmd=${words[i]}; at=$i; break ;;
		esac
	done
	if [[ -z $cmd ]]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W '-j --json -h --help' -- "$cur"))
		else
			COMPREPLY=($(compgen -W 'status stats races cache policy
				network monitor connect help' -- "$cur"))
		fi
		return
	fi
	local verb=${words[at + 1]} nargs=$((cword - at))
	local used="${words[*]:at+2:cword-at-2}"

	case $cmd in
	races)
		[[ $nargs == 1 ]] && COMPREPLY=($(compgen -W '-n' -- "$cur"))
		;;
	cache)
		if [[ $nargs == 1 ]]; then
			COMPREPLY=($(compgen -W 'show flush add del save load' \
				-- "$cur"))
			return
		fi
		case $verb in
		save | load)
			[[ $nargs == 2 ]] && COMPREPLY=($(compgen -f -- "$cur"))
			;;
		show | flush)
			[[ $nargs == 2 ]] &&
				COMPREPLY=($(compgen -W 'network' -- "$cur"))
			;;
		add | del)
			case $prev in
			proto) COMPREPLY=($(compgen -W 'tcp tfo sctp' -- "$cur")) ;;
			dst) COMPREPLY=($(compgen -W 'any' -- "$cur")) ;;
			family) COMPREPLY=($(compgen -W 'inet inet6' -- "$cur")) ;;
			result) COMPREPLY=($(compgen -W 'success failed outrun' \
				-- "$cur")) ;;
			error) COMPREPLY=($(compgen -W "$_heyctl_errnos" -- "$cur")) ;;
			network | name | port | successes | failures | handshake | srtt | age) ;;
			*)
				if [[ $verb == add ]]; then
					_heyctl_pairs "$cur" "$prev" "$used" network \
						dst name family port proto result \
						successes failures error handshake \
						srtt age
				else
					_heyctl_pairs "$cur" "$prev" "$used" network \
						dst name family port proto
				fi
				;;
			esac
			;;
		esac
		;;
	policy)
		if [[ $nargs == 1 ]]; then
			COMPREPLY=($(compgen -W 'show set' -- "$cur"))
			return
		fi
		[[ $verb == set ]] || return
		case $prev in
		mode) COMPREPLY=($(compgen -W 'delayed failover immediate' \
			-- "$cur")) ;;
		protocols) _heyctl_list "$cur" tcp tfo sctp ;;
		allowed)
			if [[ $cur == *,* ]]; then
				_heyctl_list "$cur" tcp tfo sctp
			else
				_heyctl_list "$cur" all tcp tfo sctp
			fi
			;;
		prefer | exclude)
			if [[ $cur == *,* ]]; then
				_heyctl_list "$cur" $(_heyctl_ifaces)
			else
				_heyctl_list "$cur" none $(_heyctl_ifaces)
			fi
			;;
		min-delay | max-delay | default-delay | max-leaves | max-races) ;;
		*)
			_heyctl_pairs "$cur" "$prev" "$used" mode min-delay \
				max-delay default-delay protocols allowed prefer \
				exclude max-leaves max-races
			;;
		esac
		;;
	network)
		if [[ $nargs == 1 ]]; then
			COMPREPLY=($(compgen -W 'show set' -- "$cur"))
		elif [[ $nargs == 2 ]]; then
			COMPREPLY=($(compgen -W "$(_heyctl_ifaces)" -- "$cur"))
		elif [[ $nargs == 3 && $verb == set ]]; then
			COMPREPLY=($(compgen -W 'default' -- "$cur"))
		fi
		;;
	connect)
		case $prev in
		-p | --proto) _heyctl_list "$cur" tcp tfo sctp; return ;;
		-d | --dev)
			COMPREPLY=($(compgen -W "$(_heyctl_ifaces)" -- "$cur"))
			return
			;;
		-t | --timeout) return ;;
		esac
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W '--proto --dev --timeout -4 -6 -v
				--verbose -n --by-name' -- "$cur"))
		else
			COMPREPLY=($(compgen -A hostname -- "$cur"))
		fi
		;;
	esac
}

complete -F _heyctl heyctl
