package io.deskfleet.controlplane.output;

import io.deskfleet.api.error.ErrorBody;
import io.deskfleet.api.error.ErrorCode;
import io.deskfleet.controlplane.live.EventStream;
import io.deskfleet.controlplane.refusal.Refusal;
import io.deskfleet.controlplane.web.openapi.ApiErrors;
import io.deskfleet.controlplane.web.openapi.NotFoundError;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import java.util.Arrays;

/**
 * A record's whole output (see docs/contract-notes.md, "Record output"): as text/plain with Range support, or
 * followed live as Server-Sent Events with {@code follow=true}.
 */
@SecurityRequirement(name = "X-Auth-Token") // documents AuthFilter
@Tag(name = "record output")
@ApiErrors
@Controller("/v2/{project_id}")
@ExecuteOn(TaskExecutors.BLOCKING)
public class OutputController {
    static final String TRUNCATED = "X-Output-Truncated";
    static final String COMPLETE = "X-Output-Complete";
    private static final MediaType TEXT = MediaType.of("text/plain;charset=utf-8");
    /** Bytes read from the database per step while a response streams. */
    private static final int READ_BYTES = 256 * 1024;

    private final OutputStore store;
    private final OutputWriter writer;
    private final OutputFeed feed;

    public OutputController(OutputStore store, OutputWriter writer, OutputFeed feed) {
        this.store = store;
        this.writer = writer;
        this.feed = feed;
    }

    @Operation(operationId = "showScriptRecordOutput",
            summary = "A record's whole output, or followed live (follow=true)")
    @ApiResponse(responseCode = "200", description = "The whole output as text, or with follow=true Server-Sent "
            + "`output` events, then `end`.",
            content = {@Content(mediaType = "text/plain", schema = @Schema(type = "string")),
                    @Content(mediaType = "text/event-stream", schema = @Schema(type = "string"))})
    @ApiResponse(responseCode = "206", description = "The bytes the Range header asked for.",
            content = @Content(mediaType = "text/plain", schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "416", description = "The Range is outside the stored output (`WKS.00210416`).",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ErrorBody.class)))
    @NotFoundError
    @Get(value = "/script-execution-records/{record_id}/output", produces = {"text/plain", MediaType.TEXT_EVENT_STREAM})
    public HttpResponse<?> output(@PathVariable("project_id") String projectId,
                                  @PathVariable("record_id") String recordId,
                                  @QueryValue @Nullable String follow,
                                  @QueryValue @Nullable String offset,
                                  @Header(HttpHeaders.RANGE) @Nullable String range) {
        boolean following = flag("follow", follow);
        long from = offset(offset);
        OutputStore.Served served = store.served(projectId, recordId)
                .orElseThrow(() -> Refusal.notFound("Record " + recordId + " does not exist.").asException());
        return following ? follow(recordId, served, from) : text(recordId, served, range);
    }

    private HttpResponse<?> text(String recordId, OutputStore.Served served, String rangeHeader) {
        long size = served.size();
        ByteRange range = ByteRange.parse(rangeHeader, size);
        if (range instanceof ByteRange.Unsatisfiable) {
            ErrorCode code = ErrorCode.RANGE_NOT_SATISFIABLE;
            return HttpResponse.status(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
                    .header(HttpHeaders.CONTENT_RANGE, "bytes */" + size)
                    .header(TRUNCATED, Boolean.toString(served.truncated()))
                    .header(COMPLETE, Boolean.toString(served.complete()))
                    .body(new ErrorBody(code.code(), code.defaultMessage(),
                            "Range " + rangeHeader + " is outside the output's " + size + " bytes.", ""))
                    .contentType(MediaType.APPLICATION_JSON_TYPE);
        }
        long start = range instanceof ByteRange.Part p ? p.start() : 0;
        long end = range instanceof ByteRange.Part p ? p.end() : size;
        Flux<byte[]> body = served.excerpt() != null
                ? Flux.just(Arrays.copyOfRange(served.excerpt(), (int) start, (int) end))
                : stream(recordId, start, end);
        MutableHttpResponse<Flux<byte[]>> response = range instanceof ByteRange.Part
                ? HttpResponse.<Flux<byte[]>>status(HttpStatus.PARTIAL_CONTENT)
                        .header(HttpHeaders.CONTENT_RANGE, "bytes " + start + "-" + (end - 1) + "/" + size)
                : HttpResponse.ok();
        return response.body(body).contentType(TEXT)
                .contentLength(end - start)
                .header(HttpHeaders.ACCEPT_RANGES, "bytes")
                .header(TRUNCATED, Boolean.toString(served.truncated()))
                .header(COMPLETE, Boolean.toString(served.complete()));
    }

    /** Reads the pieces as the client takes them: at most {@link #READ_BYTES} of a record are in memory at once. */
    private Flux<byte[]> stream(String recordId, long start, long end) {
        return Flux.<byte[], Long>generate(() -> start, (at, sink) -> {
            if (at >= end) {
                sink.complete();
                return at;
            }
            byte[] data = store.read(recordId, at, end, READ_BYTES);
            if (data.length == 0) {
                sink.error(new IllegalStateException("record " + recordId + " output ends before byte " + at));
                return at;
            }
            sink.next(data);
            return at + data.length;
        }).subscribeOn(Schedulers.boundedElastic());
    }

    private HttpResponse<?> follow(String recordId, OutputStore.Served served, long from) {
        EventStream stream = new EventStream(OutputFeed.MAX_QUEUED_FRAMES, OutputFeed.MAX_QUEUED_BYTES,
                s -> feed.unfollow(recordId, s));
        // The response (status and headers) goes out with the first frame.
        stream.send(EventStream.KEEP_ALIVE);
        if (served.excerpt() != null && served.complete()) {
            byte[] excerpt = served.excerpt();
            feed.follow(recordId, null, stream, Math.min(from, excerpt.length), excerpt.length, true,
                    served.truncated(), at -> Arrays.copyOfRange(excerpt, (int) at, excerpt.length));
        } else {
            writer.follow(recordId, stream, from);
        }
        return HttpResponse.ok(stream.flux()).contentType(MediaType.TEXT_EVENT_STREAM_TYPE)
                .header("Cache-Control", "no-cache");
    }

    private static boolean flag(String name, String value) {
        if (value == null || value.equalsIgnoreCase("false")) {
            return false;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        throw Refusal.invalid(name + ": must be true or false").asException();
    }

    private static long offset(String value) {
        if (value == null) {
            return 0;
        }
        try {
            long offset = Long.parseLong(value);
            if (offset >= 0) {
                return offset;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw Refusal.invalid("offset: must be a whole number >= 0").asException();
    }
}
