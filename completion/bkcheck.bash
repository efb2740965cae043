# bash completion for bkcheck (installed as share/bash-completion/completions/bkcheck).
_bkcheck()
{
    local cur prev verb i
    COMPREPLY=()
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    local verbs="list info doctor verify unlock ls usage extract export prune repair undo purge"
    local global="-h --help --version -q --quiet -v --verbose"
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
        --password-file|--key-file|--save-key|--seal-file)
            COMPREPLY=($(compgen -f -- "$cur")); return ;;
        --platform)
            COMPREPLY=($(compgen -W "macos windows linux" -- "$cur")); return ;;
        --home|--appdata|--userprofile)
            COMPREPLY=($(compgen -d -- "$cur")); return ;;
        --password|--jobs|-j|--keep-last|--older-than|--max-findings|--read-data-subset|--domain|--path|--file-id|--top)
            return ;;
    esac

    local options
    case $verb in
        list)    options="--json --platform --home --appdata --userprofile" ;;
        info)    options="--json" ;;
        doctor)  options="--json --read-data --older-than --jobs $password" ;;
        verify)  options="--json --read-data --deep --read-data-subset --max-findings --jobs --full-integrity-check --no-password --seal --against-seal --seal-file --overwrite $password" ;;
        unlock)  options="--save-key --overwrite $password" ;;
        ls)      options="--domain --path --file-id --json $password" ;;
        usage)   options="--json --top --domain --path --file-id $password" ;;
        extract) options="--domain --path --file-id --overwrite --keep-damaged --names --json $password" ;;
        export)  options="--keep-damaged --names --json $password" ;;
        prune)   options="--apply --json --keep-last --older-than --unrecoverable --assume-finished --jobs $password" ;;
        repair)  options="--apply --force-full --json --no-password --assume-finished --jobs $password" ;;
        undo)    options="--list" ;;
        purge)   options="--apply --older-than" ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$options --help $global" -- "$cur"))
    else
        COMPREPLY=($(compgen -d -- "$cur"))
    fi
}
complete -o filenames -F _bkcheck bkcheck
