#!/usr/bin/env python3
"""Checks template.yaml the way AWS reads it: cfn-lint, then AWS's own SAM transform
(aws-sam-translator, the code CloudFormation runs for `Transform: AWS::Serverless-2016-10-31`)
and assertions on the CloudFormation it produces. Exit 0 when all hold, 1 when one does not,
3 when the tools are not installed (the caller says so and goes on)."""
import copy
import json
import logging
import os
import re
import subprocess
import sys

logging.disable(logging.WARNING)  # the translator's feature-toggle and metrics chatter
try:
    from samtranslator.translator.transform import transform
    from samtranslator.yaml_helper import yaml_parse
except ImportError:
    sys.exit(3)

os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
TEMPLATE = os.path.join(ROOT, "template.yaml")
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)


class NoManagedPolicies:
    def load(self):
        return {}


def transformed(template, parameters):
    # `sam package` puts the code in S3 before the transform runs
    template = copy.deepcopy(template)
    template["Globals"]["Function"]["CodeUri"] = "s3://bucket/otp-codes.zip"
    return transform(json.loads(json.dumps(template)), parameters, NoManagedPolicies())


def refs(node):
    """Every name a Ref or a ${...} of a Sub in this node points at."""
    if isinstance(node, dict):
        found = set()
        for key, value in node.items():
            if key == "Ref" and isinstance(value, str):
                found.add(value)
            elif key == "Fn::Sub" and isinstance(value, str):
                found.update(re.findall(r"\$\{([^}!.]+)\}", value))
            elif key == "Fn::If" and isinstance(value, list) and value:
                found |= refs(CONDITIONS.get(value[0], {}))
            found |= refs(value)
        return found
    if isinstance(node, list):
        return set().union(*(refs(v) for v in node)) if node else set()
    return set()


def resolved(node, parameters):
    """A Sub over parameters resolved, as CloudFormation will resolve it."""
    if isinstance(node, dict) and "Fn::Sub" in node and isinstance(node["Fn::Sub"], str):
        return re.sub(r"\$\{([^}]+)\}", lambda m: str(parameters.get(m.group(1), m.group(0))), node["Fn::Sub"])
    return node


def another_value(definition):
    allowed = definition.get("AllowedValues")
    if allowed:
        return next(str(v) for v in allowed if str(v) != str(definition.get("Default")))
    if definition.get("Type") == "Number":
        return str(int(definition["Default"]) + 1)
    return str(definition.get("Default")) + "2"


lint = subprocess.run(["cfn-lint", TEMPLATE], capture_output=True, text=True)
check(lint.returncode == 0, "cfn-lint:\n" + lint.stdout + lint.stderr)

with open(TEMPLATE) as f:
    template = yaml_parse(f.read())
parameters = template["Parameters"]
CONDITIONS = template.get("Conditions", {})
defaults = {name: str(p["Default"]) for name, p in parameters.items()}
functions = [k for k, v in template["Resources"].items() if v["Type"] == "AWS::Serverless::Function"]
base = transformed(template, defaults)
resources = base["Resources"]


def versions(cfn):
    out = {}
    for logical_id, resource in cfn["Resources"].items():
        if resource["Type"] == "AWS::Lambda::Version":
            out[resource["Properties"]["FunctionName"]["Ref"]] = (logical_id, resource["Properties"])
    return out


# one stage, the template's, and no extra "Stage"
stages = [r for r in resources.values() if r["Type"] == "AWS::ApiGateway::Stage"]
check(len(stages) == 1, "expected one API stage, found %d" % len(stages))
for r in resources.values():
    if r["Type"] == "AWS::ApiGateway::Deployment":
        check("StageName" not in r["Properties"], "the API deployment also creates stage %s" % r["Properties"].get("StageName"))

# outputs give the live alias, never the unqualified function
for name, output in base.get("Outputs", {}).items():
    if name.endswith("FunctionArn"):
        target = output["Value"].get("Ref") if isinstance(output["Value"], dict) else None
        check(target is not None and resources.get(target, {}).get("Type") == "AWS::Lambda::Alias",
              "output %s is not the function's alias: %s" % (name, output["Value"]))

# the platform's START/REPORT/restore lines are kept
for function in functions:
    logging = resources[function]["Properties"].get("LoggingConfig", {})
    check(logging.get("SystemLogLevel") in (None, "DEBUG", "INFO"),
          "%s drops the platform's lines: SystemLogLevel %s" % (function, logging.get("SystemLogLevel")))

# a deploy that changes only a parameter a function reads must publish a new version of it
globals_function = template["Globals"]["Function"]
before = versions(base)
for function in functions:
    read = (refs(globals_function) | refs({k: v for k, v in template["Resources"][function]["Properties"].items()
                                            if k != "Events"})) & set(parameters)
    for parameter in sorted(read):
        changed = dict(defaults, **{parameter: another_value(parameters[parameter])})
        after = versions(transformed(template, changed))
        old_id, old_props = before[function]
        new_id, new_props = after[function]
        replaced = old_id != new_id or any(
            resolved(old_props.get(p), defaults) != resolved(new_props.get(p), changed) for p in ("Description", "SnapStart"))
        check(replaced, "%s: a deploy that changes only %s keeps the old version behind the alias" % (function, parameter))

if failures:
    print("template check failed:")
    for failure in failures:
        print(" - " + failure)
    sys.exit(1)
print("template check: cfn-lint clean; transform: one stage, alias outputs, platform logs kept, "
      "every parameter change publishes a new version (%d functions)" % len(functions))
