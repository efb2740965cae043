# bash completion for bkcheck (installed as share/bash-completion/completions/bkcheck).
_bkcheck()
{
    local cur prev verb i
    COMPREPLY=()
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    local verbs="list info doctor verify unlock ls usage extract export prune repair undo purge"
    # Before a verb: the program's own options; after one, --version is no longer taken.
    local global="-h --help --version -q --quiet -v --verbose"
    local verb_global="-h --help -q --quiet -v --verbose"
    local password="--password-file --password --key-file"

    verb=
    for ((i = 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
            -*) ;;
            *) verb=${COMP_WORDS[i]}; break ;;
        esac
    done
    if [[ -z $verb ]]; then
        COMPREPLY=($(compgen -W "$verbs $global" -- "$cur"))
        return
    fi

    case $prev in
        --password-file|--key-file|--save-key|--seal-file|--report|--hash-list)
            COMPREPLY=($(compgen -f -- "$cur")); return ;;
        --platform)
            COMPREPLY=($(compgen -W "macos windows linux" -- "$cur")); return ;;
        --names)
            COMPREPLY=($(compgen -W "native portable" -- "$cur")); return ;;
        --seal-hash)
            COMPREPLY=($(compgen -W "xxh3-128 sha256" -- "$cur")); return ;;
        --home|--appdata|--userprofile)
            COMPREPLY=($(compgen -d -- "$cur")); return ;;
        --password|--jobs|-j|--keep-last|--older-than|--max-findings|--read-data-subset|--domain|--path|--file-id|--top)
            return ;;
    esac

    local options
    case $verb in
        list)    options="--json --platform --home --appdata --userprofile" ;;
        info)    options="--json" ;;
        doctor)  options="--json --read-data --older-than -j --jobs $password" ;;
        verify)  options="--json --read-data --deep --read-data-subset --max-findings -j --jobs --full-integrity-check --no-password --seal --seal-hash --against-seal --seal-file --seal-of-renamed --overwrite --report $password" ;;
        unlock)  options="--save-key --overwrite --hash-line --json $password" ;;
        ls)      options="--domain --path --file-id --json $password" ;;
        usage)   options="--json --top --domain --path --file-id $password" ;;
        extract) options="--domain --path --file-id --overwrite --keep-damaged --names --json --hash-list $password" ;;
        export)  options="--keep-damaged --names --json --hash-list $password" ;;
        prune)   options="--apply --json --keep-last --older-than --unrecoverable --assume-finished -j --jobs $password" ;;
        repair)  options="--apply --force-full --json --no-password --assume-finished -j --jobs $password" ;;
        undo)    options="--list --json" ;;
        purge)   options="--apply --older-than --json" ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$options $verb_global" -- "$cur"))
    else
        COMPREPLY=($(compgen -d -- "$cur"))
    fi
}
complete -o filenames -F _bkcheck bkcheck
