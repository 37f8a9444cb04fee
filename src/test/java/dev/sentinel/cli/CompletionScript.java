package dev.sentinel.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code bin/sentinel-completion.bash}: picocli's {@link AutoComplete} script for the command models,
 * and a short function of ours in front of it.
 *
 * <p>Main dispatches {@code check-config}, {@code ctl} and {@code attach} by hand; here they are subcommands of
 * {@code sentinel}, so that picocli's script completes their words and options. An enum option
 * offers the words users write ({@code auto}, not picocli's {@code AUTO}) where its converter takes
 * them. picocli's functions do not know that Sentinel's options end at the first other word, and
 * they count {@code --} as an option that takes a value; they also turn off bash's own file-name
 * completion. So our function ({@link #GUARDED_COMMAND}) finds where the guarded command starts:
 * before it picocli's functions complete, from it on the command's own completion does (through
 * bash-completion's {@code _command_offset} where it is loaded), else command names, then file
 * names.
 */
final class CompletionScript {

    static final String PATH = "bin/sentinel-completion.bash";

    private static final String HEADER = """
            #
            # Completion of sentinel's options, of check-config, ctl and attach and their options, and of the command
            # it guards, for bash and (through bashcompinit, which it loads itself) zsh. Generated from
            # Sentinel's command models by src/test/java/dev/sentinel/cli/CompletionScript.java, with
            # picocli's AutoComplete and a function of its own at the end: do not edit. To regenerate:
            #   %s
            #
            # Install: 'source /path/to/sentinel/%s' in ~/.bashrc or ~/.zshrc (docs/install.md).
            """;

    /** Our function, after picocli's script: the options that take a value, then the function. */
    private static final String GUARDED_COMMAND = """

            # Sentinel's options end at the first word that is not an option, or at '--': the words from
            # there on are the guarded command's. picocli's functions above do not know it (and count '--' as
            # an option that takes a value), so this one finds where the command starts. Before it, and in
            # check-config, ctl and attach, picocli's functions complete; from it on, the command's own completion
            # (bash-completion's _command_offset, where it is loaded), or else command names, then file names.
            _sentinel_arg_opts=" %s "

            function _sentinel() {
              local i word
              for (( i = 1; i < COMP_CWORD; i++ )); do
                word=${COMP_WORDS[i]}
                if [[ $word == -- ]]; then
                  _sentinel_guarded $((i + 1)); return
                elif [[ $word != -* ]]; then
                  if (( i == 1 )) && [[ $word == check-config || $word == ctl || $word == attach ]]; then
                    _complete_sentinel; return
                  fi
                  _sentinel_guarded "$i"; return
                elif [[ $word != *=* && $_sentinel_arg_opts == *" $word "* ]]; then
                  (( i++ )) # the option's value
                fi
              done
              # Still among Sentinel's options: an option or an option's value, or else the command's first
              # word (or, first of all, check-config, ctl or attach).
              local cur=${COMP_WORDS[COMP_CWORD]}
              if (( i > COMP_CWORD )) || [[ $cur == -* ]]; then
                _complete_sentinel; return
              fi
              _sentinel_guarded "$COMP_CWORD"
              if (( COMP_CWORD == 1 )); then
                local IFS=$'\\n'
                COMPREPLY+=( $(compgen -W "check-config${IFS}ctl${IFS}attach" -- "$cur") )
              fi
            }

            # Completes the guarded command whose first word is COMP_WORDS[$1].
            function _sentinel_guarded() {
              if [[ -n ${BASH_VERSION:-} ]] && type _command_offset &>/dev/null; then
                _command_offset "$1"; return
              fi
              local cur=${COMP_WORDS[COMP_CWORD]}
              local IFS=$'\\n'
              if (( COMP_CWORD == $1 )) && [[ $cur != */* ]]; then
                COMPREPLY=( $(compgen -c -- "$cur") )
              else
                [[ -n ${BASH_VERSION:-} ]] && compopt -o filenames 2>/dev/null
                COMPREPLY=( $(compgen -f -- "$cur") )
              fi
            }

            complete -F _sentinel -o default sentinel
            """;

    private CompletionScript() {
    }

    static String render() {
        CommandSpec top = forCompletion(DocumentedCommands.sentinel());
        CommandLine sentinel = new CommandLine(top);
        sentinel.addSubcommand("check-config", forCompletion(DocumentedCommands.checkConfig()));
        sentinel.addSubcommand("ctl", forCompletion(DocumentedCommands.ctl()));
        sentinel.addSubcommand("attach", forCompletion(DocumentedCommands.attach()));
        String script = AutoComplete.bash("sentinel", sentinel);
        String argOptions = top.options().stream().filter(o -> o.arity().max() > 0)
                .flatMap(o -> Stream.of(o.names())).collect(Collectors.joining(" "));
        int afterShebang = script.indexOf('\n') + 1;
        return script.substring(0, afterShebang) + HEADER.formatted(GeneratedFiles.REGENERATE, PATH)
                + script.substring(afterShebang) + GUARDED_COMMAND.formatted(argOptions);
    }

    /** {@code spec} with its enum options' candidates as users write them. */
    private static CommandSpec forCompletion(CommandSpec spec) {
        List<OptionSpec> options = new ArrayList<>(spec.options());
        options.forEach(spec::remove);
        for (OptionSpec o : options) {
            spec.addOption(o.toBuilder().completionCandidates(userWords(o)).build());
        }
        return spec;
    }

    /**
     * An enum option's candidates as users write them (lower case, '-' for '_') where the converter
     * agrees, without the constants it refuses.
     */
    private static Iterable<String> userWords(OptionSpec o) {
        Iterable<String> picocli = o.completionCandidates();
        if (picocli == null || !o.type().isEnum() || o.converters().length == 0) {
            return picocli;
        }
        List<String> constants = Stream.of(o.type().getEnumConstants()).map(c -> ((Enum<?>) c).name()).toList();
        List<String> words = new ArrayList<>();
        for (String candidate : picocli) {
            if (!constants.contains(candidate)) {
                return picocli; // the model's own words
            }
            String word = candidate.toLowerCase(Locale.ROOT).replace('_', '-');
            if (accepts(o.converters()[0], word)) {
                words.add(word);
            } else if (accepts(o.converters()[0], candidate)) {
                words.add(candidate);
            } // else a constant the option refuses (SIGKILL as a stop signal): not offered
        }
        return words;
    }

    private static boolean accepts(ITypeConverter<?> converter, String word) {
        try {
            converter.convert(word);
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
