# sam build runs these targets (BuildMethod: makefile) with ARTIFACTS_DIR set. Every function
# ships the same jar: one Maven build of functions/, its shaded jar placed in lib/.
FUNCTIONS_JAR := functions/target/otp-functions-lambda.jar

$(FUNCTIONS_JAR):
	mvn -B -q -pl functions -am package -DskipTests

define function_target
build-$(1): $(FUNCTIONS_JAR)
	mkdir -p "$$(ARTIFACTS_DIR)/lib"
	cp $(FUNCTIONS_JAR) "$$(ARTIFACTS_DIR)/lib/"
endef

FUNCTIONS := ListOtpCodesFunction CreateOtpCodeFunction UpdateOtpCodeFunction AuthorizerFunction
$(foreach f,$(FUNCTIONS),$(eval $(call function_target,$(f))))

# Always rebuilt: a jar left in target/ by an older build must never be deployed.
.PHONY: $(FUNCTIONS_JAR) $(addprefix build-,$(FUNCTIONS))
