package io.leadplatform.gateway;

import io.leadplatform.testsupport.OpenApiContract;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;

@QuarkusTest
@WithTestResource(FakeUpstream.class)
class OpenApiContractTest {

    @Test
    void servedOpenApiMatchesCommittedContract() throws Exception {
        String yaml = given().accept("application/yaml").get("/q/openapi")
                .then().statusCode(200).extract().asString();
        OpenApiContract.assertMatches("gateway", yaml);
    }
}
