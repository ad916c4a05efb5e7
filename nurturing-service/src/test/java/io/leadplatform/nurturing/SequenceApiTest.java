package io.leadplatform.nurturing;

import io.leadplatform.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

/** Templates and sequences through the API: saving, versions, the 422/400 problems and who may call. */
@QuarkusTest
class SequenceApiTest {

    @BeforeEach
    void templates() {
        Fixtures.template("api-welcome", "Welcome {lead.firstName}", "<p>Hello {lead.firstName}</p><a href=\"https://acme.io/a\">a</a>");
    }

    static final String VALID = """
            {"name":"Welcome","phase":"pre-sale","trigger":{"stages":["LEAD"]},"timeZone":"Europe/Berlin",
             "steps":[{"id":"hello","type":"send","template":"api-welcome"},
                      {"id":"pause","type":"wait","duration":"P2D"},
                      {"id":"check","type":"branch","condition":{"clicked":"hello"},"then":"done","else":"again"},
                      {"id":"again","type":"send","template":"api-welcome"},
                      {"id":"done","type":"exit","reason":"finished"}]}""";

    @Test
    void templateIsSavedReadAndReplaced() {
        given().header("Authorization", Tokens.bearer("marketing")).contentType(ContentType.JSON)
                .body("{\"name\":\"T\",\"subject\":\"S {lead.company}\",\"html\":\"<p>{lead.firstName}</p>\"}")
                .put("/api/nurturing/templates/api-new-" + System.nanoTime() % 100000).then().statusCode(201)
                .body("updatedBy", equalTo("marketing"));
        given().header("Authorization", Tokens.bearer("admin")).contentType(ContentType.JSON)
                .body("{\"name\":\"Welcome\",\"subject\":\"Welcome {lead.firstName}\",\"html\":\"<p>Hello {lead.firstName}</p><a href=\\\"https://acme.io/a\\\">a</a>\"}")
                .put("/api/nurturing/templates/api-welcome").then().statusCode(200);
        given().header("Authorization", Tokens.bearer("marketing")).get("/api/nurturing/templates/api-welcome")
                .then().statusCode(200).body("subject", equalTo("Welcome {lead.firstName}"));
        given().header("Authorization", Tokens.bearer("marketing")).get("/api/nurturing/templates")
                .then().statusCode(200).body("id", hasItem("optin-confirmation"));
    }

    @Test
    void brokenTemplatesAre422NamingThePart() {
        given().header("Authorization", Tokens.bearer("marketing")).contentType(ContentType.JSON)
                .body("{\"name\":\"T\",\"subject\":\"ok\",\"html\":\"<p>{lead.nickname}</p>\"}")
                .put("/api/nurturing/templates/api-bad").then().statusCode(422).contentType("application/problem+json")
                .body("errors[0].field", equalTo("html"));
        given().header("Authorization", Tokens.bearer("marketing")).contentType(ContentType.JSON)
                .body("{\"name\":\"T\",\"subject\":\"{#if}\",\"html\":\"<p>x</p>\"}")
                .put("/api/nurturing/templates/api-bad").then().statusCode(422).body("errors[0].field", equalTo("subject"));
        given().header("Authorization", Tokens.bearer("marketing")).contentType(ContentType.JSON)
                .body("{\"name\":\"T\",\"subject\":\"ok\",\"html\":\"<p>x</p>\"}")
                .put("/api/nurturing/templates/Bad Id").then().statusCode(422).body("errors[0].field", equalTo("id"));
        given().header("Authorization", Tokens.bearer("marketing")).get("/api/nurturing/templates/api-bad").then().statusCode(404);
    }

    @Test
    void previewEscapesHtmlButNotTheSubject() {
        given().header("Authorization", Tokens.bearer("marketing")).contentType(ContentType.JSON).body("{}")
                .post("/api/nurturing/templates/api-welcome/preview").then().statusCode(200)
                .body("subject", equalTo("Welcome Erika")).body("html", containsString("Hello Erika"));
        given().header("Authorization", Tokens.bearer("marketing")).contentType(ContentType.JSON)
                .body("{\"name\":\"X\",\"subject\":\"{confirmUrl}\",\"html\":\"<a href=\\\"{confirmUrl}\\\">{confirmUrl}</a>\"}")
                .put("/api/nurturing/templates/api-escape").then().statusCode(201);
        given().header("Authorization", Tokens.bearer("marketing")).contentType(ContentType.JSON)
                .body("{\"variables\":{\"confirmUrl\":\"<script>alert(1)</script>\"}}")
                .post("/api/nurturing/templates/api-escape/preview").then().statusCode(200)
                .body("html", containsString("&lt;script&gt;")).body("html", not(containsString("<script>")))
                .body("subject", equalTo("<script>alert(1)</script>"));
    }

    @Test
    void sequenceIsVersionedOnSave() {
        String id = Fixtures.sequence(VALID);
        given().header("Authorization", Tokens.bearer("marketing")).get("/api/nurturing/sequences/" + id)
                .then().statusCode(200).body("version", equalTo(1)).body("definition.steps[2].else", equalTo("again"));
        given().header("Authorization", Tokens.bearer("marketing")).contentType(ContentType.JSON).body(VALID.replace("\"Welcome\"", "\"Welcome 2\""))
                .put("/api/nurturing/sequences/" + id).then().statusCode(200).body("version", equalTo(2)).body("currentVersion", equalTo(2));
        given().header("Authorization", Tokens.bearer("marketing")).get("/api/nurturing/sequences/" + id + "/versions/1")
                .then().statusCode(200).body("definition.name", equalTo("Welcome"));
        given().header("Authorization", Tokens.bearer("marketing")).get("/api/nurturing/sequences/" + id + "/versions/9").then().statusCode(404);
    }

    @Test
    void invalidSequencesAre422NamingTheStep() {
        problem(VALID.replace("\"then\":\"done\"", "\"then\":\"nowhere\""), "steps[2] (check).then", "missing step 'nowhere'");
        problem(VALID.replace("\"template\":\"api-welcome\"}", "\"template\":\"no-such-template\"}"), "steps[0] (hello).template", "unknown template");
        problem("""
                {"name":"Loop","steps":[{"id":"a","type":"send","template":"api-welcome"},
                 {"id":"b","type":"branch","condition":{"opened":"a"},"then":"c","else":"a"},
                 {"id":"c","type":"exit"}]}""", "steps[1] (b)", "without a wait");
        problem("""
                {"name":"Bad","steps":[{"id":"a","type":"wait-until","weekday":"FUNDAY","time":"25:00"}]}""", "steps[0] (a).weekday", "MONDAY");
        problem("{\"name\":\"Empty\",\"steps\":[]}", "steps", "at least one step");
        // unknown field: a typo is a 400 naming it, not silently ignored
        given().header("Authorization", Tokens.bearer("marketing")).contentType(ContentType.JSON)
                .body("{\"name\":\"x\",\"stepz\":[]}").post("/api/nurturing/sequences").then().statusCode(400)
                .contentType("application/problem+json");
        given().header("Authorization", Tokens.bearer("marketing")).contentType(ContentType.JSON)
                .body("{not json").post("/api/nurturing/sequences").then().statusCode(400);
    }

    private static void problem(String body, String field, String message) {
        given().header("Authorization", Tokens.bearer("marketing")).contentType(ContentType.JSON).body(body)
                .post("/api/nurturing/sequences").then().statusCode(422).contentType("application/problem+json")
                .body("errors.field", hasItem(field))
                .body("errors.message.toString()", containsString(message));
    }

    @Test
    void onlyMarketingAndAdminMayCall() {
        given().get("/api/nurturing/sequences").then().statusCode(401);
        given().header("Authorization", Tokens.bearer("sales")).get("/api/nurturing/sequences").then().statusCode(403);
        given().header("Authorization", Tokens.bearer("partner-acme")).get("/api/nurturing/templates").then().statusCode(403);
        given().contentType(ContentType.JSON).body(VALID).post("/api/nurturing/sequences").then().statusCode(401);
        given().header("Authorization", Tokens.bearer("sales")).get("/api/nurturing/enrollments?leadId=" + java.util.UUID.randomUUID()).then().statusCode(403);
        given().header("Authorization", Tokens.bearer("admin")).get("/api/nurturing/sequences").then().statusCode(200);
        given().header("Authorization", Tokens.bearer("marketing")).get("/api/nurturing/enrollments").then().statusCode(422);
        given().header("Authorization", Tokens.bearer("marketing")).get("/api/nurturing/enrollments/" + java.util.UUID.randomUUID()).then().statusCode(404);
    }
}
