package io.otpcodes.handler;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpcodes.local.testing.LocalDynamoDb;
import io.otpcodes.local.testing.TestStack;
import org.junit.jupiter.api.Test;

/** SnapStart priming runs the real request path but must never write anything. */
class PrimingTest {

    @Test
    void primingEveryFunction_writesNothing() {
        TestStack stack = LocalDynamoDb.newStack();

        Priming.run(new CreateOtpCodeHandler(stack.settings(), stack.dynamoDb()), CreateOtpCodeHandler.primingEvents());
        Priming.run(new ListOtpCodesHandler(stack.settings(), stack.dynamoDb()), ListOtpCodesHandler.primingEvents());
        Priming.run(new UpdateOtpCodeHandler(stack.settings(), stack.dynamoDb()), UpdateOtpCodeHandler.primingEvents());
        Priming.run(new TokenAuthorizerHandler(stack.settings(), stack.dynamoDb()), TokenAuthorizerHandler.primingEvents());

        for (String table : new String[] {stack.otpTable(), stack.settings().counterTableName(), stack.settings().tokenTableName()}) {
            assertThat(stack.dynamoDb().scan(r -> r.tableName(table)).count()).as(table).isZero();
        }
    }
}
