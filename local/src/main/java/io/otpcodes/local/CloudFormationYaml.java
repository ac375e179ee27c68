package io.otpcodes.local;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads CloudFormation YAML: the short intrinsic tags ({@code !Ref X}, {@code !GetAtt A.B},
 * {@code !Sub ...}) become their long form ({@code {"Ref": "X"}}, {@code {"Fn::GetAtt": ...}}).
 */
final class CloudFormationYaml {

    private CloudFormationYaml() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> parse(String text) {
        LoaderOptions options = new LoaderOptions();
        return (Map<String, Object>) new Yaml(new IntrinsicConstructor(options)).load(text);
    }

    private static final class IntrinsicConstructor extends SafeConstructor {

        IntrinsicConstructor(LoaderOptions options) {
            super(options);
            this.yamlMultiConstructors.put("!", new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    String tag = node.getTag().getValue().substring(1);
                    String function = tag.equals("Ref") || tag.equals("Condition") ? tag : "Fn::" + tag;
                    Object argument;
                    if (node instanceof ScalarNode) {
                        String value = ((ScalarNode) node).getValue();
                        argument = tag.equals("GetAtt") ? List.of(value.split("\\.", 2)) : value;
                    } else if (node instanceof SequenceNode) {
                        argument = constructSequence((SequenceNode) node);
                    } else {
                        argument = constructMapping((MappingNode) node);
                    }
                    Map<String, Object> intrinsic = new LinkedHashMap<>();
                    intrinsic.put(function, argument);
                    return intrinsic;
                }
            });
        }
    }
}
