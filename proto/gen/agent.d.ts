import * as $protobuf from "protobufjs";
import Long = require("long");

/** Namespace tally. */
export namespace tally {

    /** Namespace agent. */
    namespace agent {

        /** Namespace v1. */
        namespace v1 {

            /**
             * Properties of an AgentEnvelope.
             * @deprecated Use tally.agent.v1.AgentEnvelope.$Properties instead.
             */
            interface IAgentEnvelope extends tally.agent.v1.AgentEnvelope.$Properties {
            }

            /** Represents an AgentEnvelope. */
            class AgentEnvelope {

                /**
                 * Constructs a new AgentEnvelope.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: tally.agent.v1.AgentEnvelope.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** AgentEnvelope hello. */
                hello?: (tally.agent.v1.Hello.$Properties|null);

                /** AgentEnvelope inventory. */
                inventory?: (tally.agent.v1.Inventory.$Properties|null);

                /** AgentEnvelope usage. */
                usage?: (tally.agent.v1.UsageBatch.$Properties|null);

                /** AgentEnvelope events. */
                events?: (tally.agent.v1.EventBatch.$Properties|null);

                /** AgentEnvelope body. */
                body?: ("hello"|"inventory"|"usage"|"events");

                /**
                 * Creates a new AgentEnvelope instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns AgentEnvelope instance
                 */
                static create(properties: tally.agent.v1.AgentEnvelope.$Shape): tally.agent.v1.AgentEnvelope & tally.agent.v1.AgentEnvelope.$Shape;
                static create(properties?: tally.agent.v1.AgentEnvelope.$Properties): tally.agent.v1.AgentEnvelope;

                /**
                 * Encodes the specified AgentEnvelope message. Does not implicitly {@link tally.agent.v1.AgentEnvelope.verify|verify} messages.
                 * @param message AgentEnvelope message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: tally.agent.v1.AgentEnvelope.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Encodes the specified AgentEnvelope message, length delimited. Does not implicitly {@link tally.agent.v1.AgentEnvelope.verify|verify} messages.
                 * @param message AgentEnvelope message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encodeDelimited(message: tally.agent.v1.AgentEnvelope.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes an AgentEnvelope message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {tally.agent.v1.AgentEnvelope & tally.agent.v1.AgentEnvelope.$Shape} AgentEnvelope
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): tally.agent.v1.AgentEnvelope & tally.agent.v1.AgentEnvelope.$Shape;

                /**
                 * Decodes an AgentEnvelope message from the specified reader or buffer, length delimited.
                 * @param reader Reader or buffer to decode from
                 * @returns {tally.agent.v1.AgentEnvelope & tally.agent.v1.AgentEnvelope.$Shape} AgentEnvelope
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): tally.agent.v1.AgentEnvelope & tally.agent.v1.AgentEnvelope.$Shape;

                /**
                 * Verifies an AgentEnvelope message.
                 * @param message Plain object to verify
                 * @returns `null` if valid, otherwise the reason why it is not
                 */
                static verify(message: { [k: string]: any }): (string|null);

                /**
                 * Creates an AgentEnvelope message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns AgentEnvelope
                 */
                static fromObject(object: { [k: string]: any }): tally.agent.v1.AgentEnvelope;

                /**
                 * Creates a plain object from an AgentEnvelope message. Also converts values to other types if specified.
                 * @param message AgentEnvelope
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: tally.agent.v1.AgentEnvelope, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this AgentEnvelope to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };

                /**
                 * Gets the type url for AgentEnvelope
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace AgentEnvelope {

                /** Properties of an AgentEnvelope. */
                interface $Properties {

                    /** AgentEnvelope hello */
                    hello?: (tally.agent.v1.Hello.$Properties|null);

                    /** AgentEnvelope inventory */
                    inventory?: (tally.agent.v1.Inventory.$Properties|null);

                    /** AgentEnvelope usage */
                    usage?: (tally.agent.v1.UsageBatch.$Properties|null);

                    /** AgentEnvelope events */
                    events?: (tally.agent.v1.EventBatch.$Properties|null);

                    /** AgentEnvelope body */
                    body?: ("hello"|"inventory"|"usage"|"events");

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Narrowed shape of an AgentEnvelope. */
                type $Shape = {
                  hello?: tally.agent.v1.Hello.$Shape|null;
                  inventory?: tally.agent.v1.Inventory.$Shape|null;
                  usage?: tally.agent.v1.UsageBatch.$Shape|null;
                  events?: tally.agent.v1.EventBatch.$Shape|null;
                  $unknowns?: Uint8Array[];
                } & (
                  ({ body?: undefined; hello?: null; inventory?: null; usage?: null; events?: null }|{ body?: "hello"; hello: tally.agent.v1.Hello.$Shape; inventory?: null; usage?: null; events?: null }|{ body?: "inventory"; hello?: null; inventory: tally.agent.v1.Inventory.$Shape; usage?: null; events?: null }|{ body?: "usage"; hello?: null; inventory?: null; usage: tally.agent.v1.UsageBatch.$Shape; events?: null }|{ body?: "events"; hello?: null; inventory?: null; usage?: null; events: tally.agent.v1.EventBatch.$Shape })
                );
            }

            /**
             * Properties of a Hello.
             * @deprecated Use tally.agent.v1.Hello.$Properties instead.
             */
            interface IHello extends tally.agent.v1.Hello.$Properties {
            }

            /** Represents a Hello. */
            class Hello {

                /**
                 * Constructs a new Hello.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: tally.agent.v1.Hello.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** Hello agentVersion. */
                agentVersion: string;

                /** Hello instanceId. */
                instanceId: string;

                /** Hello facts. */
                facts?: (tally.agent.v1.DeviceFacts.$Properties|null);

                /** Hello firstRunMs. */
                firstRunMs: number;

                /**
                 * Creates a new Hello instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns Hello instance
                 */
                static create(properties: tally.agent.v1.Hello.$Shape): tally.agent.v1.Hello & tally.agent.v1.Hello.$Shape;
                static create(properties?: tally.agent.v1.Hello.$Properties): tally.agent.v1.Hello;

                /**
                 * Encodes the specified Hello message. Does not implicitly {@link tally.agent.v1.Hello.verify|verify} messages.
                 * @param message Hello message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: tally.agent.v1.Hello.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Encodes the specified Hello message, length delimited. Does not implicitly {@link tally.agent.v1.Hello.verify|verify} messages.
                 * @param message Hello message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encodeDelimited(message: tally.agent.v1.Hello.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a Hello message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {tally.agent.v1.Hello & tally.agent.v1.Hello.$Shape} Hello
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): tally.agent.v1.Hello & tally.agent.v1.Hello.$Shape;

                /**
                 * Decodes a Hello message from the specified reader or buffer, length delimited.
                 * @param reader Reader or buffer to decode from
                 * @returns {tally.agent.v1.Hello & tally.agent.v1.Hello.$Shape} Hello
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): tally.agent.v1.Hello & tally.agent.v1.Hello.$Shape;

                /**
                 * Verifies a Hello message.
                 * @param message Plain object to verify
                 * @returns `null` if valid, otherwise the reason why it is not
                 */
                static verify(message: { [k: string]: any }): (string|null);

                /**
                 * Creates a Hello message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns Hello
                 */
                static fromObject(object: { [k: string]: any }): tally.agent.v1.Hello;

                /**
                 * Creates a plain object from a Hello message. Also converts values to other types if specified.
                 * @param message Hello
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: tally.agent.v1.Hello, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this Hello to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };

                /**
                 * Gets the type url for Hello
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace Hello {

                /** Properties of a Hello. */
                interface $Properties {

                    /** Hello agentVersion */
                    agentVersion?: (string|null);

                    /** Hello instanceId */
                    instanceId?: (string|null);

                    /** Hello facts */
                    facts?: (tally.agent.v1.DeviceFacts.$Properties|null);

                    /** Hello firstRunMs */
                    firstRunMs?: (number|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a Hello. */
                type $Shape = tally.agent.v1.Hello.$Properties;
            }

            /**
             * Properties of an Inventory.
             * @deprecated Use tally.agent.v1.Inventory.$Properties instead.
             */
            interface IInventory extends tally.agent.v1.Inventory.$Properties {
            }

            /** Represents an Inventory. */
            class Inventory {

                /**
                 * Constructs a new Inventory.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: tally.agent.v1.Inventory.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** Inventory header. */
                header?: (tally.agent.v1.RecordHeader.$Properties|null);

                /** Inventory facts. */
                facts?: (tally.agent.v1.DeviceFacts.$Properties|null);

                /**
                 * Creates a new Inventory instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns Inventory instance
                 */
                static create(properties: tally.agent.v1.Inventory.$Shape): tally.agent.v1.Inventory & tally.agent.v1.Inventory.$Shape;
                static create(properties?: tally.agent.v1.Inventory.$Properties): tally.agent.v1.Inventory;

                /**
                 * Encodes the specified Inventory message. Does not implicitly {@link tally.agent.v1.Inventory.verify|verify} messages.
                 * @param message Inventory message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: tally.agent.v1.Inventory.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Encodes the specified Inventory message, length delimited. Does not implicitly {@link tally.agent.v1.Inventory.verify|verify} messages.
                 * @param message Inventory message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encodeDelimited(message: tally.agent.v1.Inventory.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes an Inventory message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {tally.agent.v1.Inventory & tally.agent.v1.Inventory.$Shape} Inventory
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): tally.agent.v1.Inventory & tally.agent.v1.Inventory.$Shape;

                /**
                 * Decodes an Inventory message from the specified reader or buffer, length delimited.
                 * @param reader Reader or buffer to decode from
                 * @returns {tally.agent.v1.Inventory & tally.agent.v1.Inventory.$Shape} Inventory
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): tally.agent.v1.Inventory & tally.agent.v1.Inventory.$Shape;

                /**
                 * Verifies an Inventory message.
                 * @param message Plain object to verify
                 * @returns `null` if valid, otherwise the reason why it is not
                 */
                static verify(message: { [k: string]: any }): (string|null);

                /**
                 * Creates an Inventory message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns Inventory
                 */
                static fromObject(object: { [k: string]: any }): tally.agent.v1.Inventory;

                /**
                 * Creates a plain object from an Inventory message. Also converts values to other types if specified.
                 * @param message Inventory
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: tally.agent.v1.Inventory, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this Inventory to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };

                /**
                 * Gets the type url for Inventory
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace Inventory {

                /** Properties of an Inventory. */
                interface $Properties {

                    /** Inventory header */
                    header?: (tally.agent.v1.RecordHeader.$Properties|null);

                    /** Inventory facts */
                    facts?: (tally.agent.v1.DeviceFacts.$Properties|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of an Inventory. */
                type $Shape = tally.agent.v1.Inventory.$Properties;
            }

            /**
             * Properties of a RecordHeader.
             * @deprecated Use tally.agent.v1.RecordHeader.$Properties instead.
             */
            interface IRecordHeader extends tally.agent.v1.RecordHeader.$Properties {
            }

            /** Represents a RecordHeader. */
            class RecordHeader {

                /**
                 * Constructs a new RecordHeader.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: tally.agent.v1.RecordHeader.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** RecordHeader stream. */
                stream: string;

                /** RecordHeader seq. */
                seq: number;

                /**
                 * Creates a new RecordHeader instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns RecordHeader instance
                 */
                static create(properties: tally.agent.v1.RecordHeader.$Shape): tally.agent.v1.RecordHeader & tally.agent.v1.RecordHeader.$Shape;
                static create(properties?: tally.agent.v1.RecordHeader.$Properties): tally.agent.v1.RecordHeader;

                /**
                 * Encodes the specified RecordHeader message. Does not implicitly {@link tally.agent.v1.RecordHeader.verify|verify} messages.
                 * @param message RecordHeader message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: tally.agent.v1.RecordHeader.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Encodes the specified RecordHeader message, length delimited. Does not implicitly {@link tally.agent.v1.RecordHeader.verify|verify} messages.
                 * @param message RecordHeader message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encodeDelimited(message: tally.agent.v1.RecordHeader.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a RecordHeader message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {tally.agent.v1.RecordHeader & tally.agent.v1.RecordHeader.$Shape} RecordHeader
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): tally.agent.v1.RecordHeader & tally.agent.v1.RecordHeader.$Shape;

                /**
                 * Decodes a RecordHeader message from the specified reader or buffer, length delimited.
                 * @param reader Reader or buffer to decode from
                 * @returns {tally.agent.v1.RecordHeader & tally.agent.v1.RecordHeader.$Shape} RecordHeader
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): tally.agent.v1.RecordHeader & tally.agent.v1.RecordHeader.$Shape;

                /**
                 * Verifies a RecordHeader message.
                 * @param message Plain object to verify
                 * @returns `null` if valid, otherwise the reason why it is not
                 */
                static verify(message: { [k: string]: any }): (string|null);

                /**
                 * Creates a RecordHeader message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns RecordHeader
                 */
                static fromObject(object: { [k: string]: any }): tally.agent.v1.RecordHeader;

                /**
                 * Creates a plain object from a RecordHeader message. Also converts values to other types if specified.
                 * @param message RecordHeader
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: tally.agent.v1.RecordHeader, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this RecordHeader to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };

                /**
                 * Gets the type url for RecordHeader
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace RecordHeader {

                /** Properties of a RecordHeader. */
                interface $Properties {

                    /** RecordHeader stream */
                    stream?: (string|null);

                    /** RecordHeader seq */
                    seq?: (number|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a RecordHeader. */
                type $Shape = tally.agent.v1.RecordHeader.$Properties;
            }

            /**
             * Properties of a UsageRecord.
             * @deprecated Use tally.agent.v1.UsageRecord.$Properties instead.
             */
            interface IUsageRecord extends tally.agent.v1.UsageRecord.$Properties {
            }

            /** Represents a UsageRecord. */
            class UsageRecord {

                /**
                 * Constructs a new UsageRecord.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: tally.agent.v1.UsageRecord.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** UsageRecord header. */
                header?: (tally.agent.v1.RecordHeader.$Properties|null);

                /** UsageRecord utcDay. */
                utcDay: number;

                /** UsageRecord awakeSeconds. */
                awakeSeconds: number;

                /** UsageRecord bootId. */
                bootId: string;

                /** UsageRecord recordedAtMs. */
                recordedAtMs: number;

                /**
                 * Creates a new UsageRecord instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns UsageRecord instance
                 */
                static create(properties: tally.agent.v1.UsageRecord.$Shape): tally.agent.v1.UsageRecord & tally.agent.v1.UsageRecord.$Shape;
                static create(properties?: tally.agent.v1.UsageRecord.$Properties): tally.agent.v1.UsageRecord;

                /**
                 * Encodes the specified UsageRecord message. Does not implicitly {@link tally.agent.v1.UsageRecord.verify|verify} messages.
                 * @param message UsageRecord message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: tally.agent.v1.UsageRecord.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Encodes the specified UsageRecord message, length delimited. Does not implicitly {@link tally.agent.v1.UsageRecord.verify|verify} messages.
                 * @param message UsageRecord message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encodeDelimited(message: tally.agent.v1.UsageRecord.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a UsageRecord message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {tally.agent.v1.UsageRecord & tally.agent.v1.UsageRecord.$Shape} UsageRecord
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): tally.agent.v1.UsageRecord & tally.agent.v1.UsageRecord.$Shape;

                /**
                 * Decodes a UsageRecord message from the specified reader or buffer, length delimited.
                 * @param reader Reader or buffer to decode from
                 * @returns {tally.agent.v1.UsageRecord & tally.agent.v1.UsageRecord.$Shape} UsageRecord
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): tally.agent.v1.UsageRecord & tally.agent.v1.UsageRecord.$Shape;

                /**
                 * Verifies a UsageRecord message.
                 * @param message Plain object to verify
                 * @returns `null` if valid, otherwise the reason why it is not
                 */
                static verify(message: { [k: string]: any }): (string|null);

                /**
                 * Creates a UsageRecord message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns UsageRecord
                 */
                static fromObject(object: { [k: string]: any }): tally.agent.v1.UsageRecord;

                /**
                 * Creates a plain object from a UsageRecord message. Also converts values to other types if specified.
                 * @param message UsageRecord
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: tally.agent.v1.UsageRecord, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this UsageRecord to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };

                /**
                 * Gets the type url for UsageRecord
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace UsageRecord {

                /** Properties of a UsageRecord. */
                interface $Properties {

                    /** UsageRecord header */
                    header?: (tally.agent.v1.RecordHeader.$Properties|null);

                    /** UsageRecord utcDay */
                    utcDay?: (number|null);

                    /** UsageRecord awakeSeconds */
                    awakeSeconds?: (number|null);

                    /** UsageRecord bootId */
                    bootId?: (string|null);

                    /** UsageRecord recordedAtMs */
                    recordedAtMs?: (number|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a UsageRecord. */
                type $Shape = tally.agent.v1.UsageRecord.$Properties;
            }

            /**
             * Properties of a UsageBatch.
             * @deprecated Use tally.agent.v1.UsageBatch.$Properties instead.
             */
            interface IUsageBatch extends tally.agent.v1.UsageBatch.$Properties {
            }

            /** Represents a UsageBatch. */
            class UsageBatch {

                /**
                 * Constructs a new UsageBatch.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: tally.agent.v1.UsageBatch.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** UsageBatch records. */
                records: tally.agent.v1.UsageRecord.$Properties[];

                /** UsageBatch floors. */
                floors: tally.agent.v1.StreamFloor.$Properties[];

                /**
                 * Creates a new UsageBatch instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns UsageBatch instance
                 */
                static create(properties: tally.agent.v1.UsageBatch.$Shape): tally.agent.v1.UsageBatch & tally.agent.v1.UsageBatch.$Shape;
                static create(properties?: tally.agent.v1.UsageBatch.$Properties): tally.agent.v1.UsageBatch;

                /**
                 * Encodes the specified UsageBatch message. Does not implicitly {@link tally.agent.v1.UsageBatch.verify|verify} messages.
                 * @param message UsageBatch message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: tally.agent.v1.UsageBatch.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Encodes the specified UsageBatch message, length delimited. Does not implicitly {@link tally.agent.v1.UsageBatch.verify|verify} messages.
                 * @param message UsageBatch message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encodeDelimited(message: tally.agent.v1.UsageBatch.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a UsageBatch message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {tally.agent.v1.UsageBatch & tally.agent.v1.UsageBatch.$Shape} UsageBatch
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): tally.agent.v1.UsageBatch & tally.agent.v1.UsageBatch.$Shape;

                /**
                 * Decodes a UsageBatch message from the specified reader or buffer, length delimited.
                 * @param reader Reader or buffer to decode from
                 * @returns {tally.agent.v1.UsageBatch & tally.agent.v1.UsageBatch.$Shape} UsageBatch
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): tally.agent.v1.UsageBatch & tally.agent.v1.UsageBatch.$Shape;

                /**
                 * Verifies a UsageBatch message.
                 * @param message Plain object to verify
                 * @returns `null` if valid, otherwise the reason why it is not
                 */
                static verify(message: { [k: string]: any }): (string|null);

                /**
                 * Creates a UsageBatch message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns UsageBatch
                 */
                static fromObject(object: { [k: string]: any }): tally.agent.v1.UsageBatch;

                /**
                 * Creates a plain object from a UsageBatch message. Also converts values to other types if specified.
                 * @param message UsageBatch
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: tally.agent.v1.UsageBatch, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this UsageBatch to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };

                /**
                 * Gets the type url for UsageBatch
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace UsageBatch {

                /** Properties of a UsageBatch. */
                interface $Properties {

                    /** UsageBatch records */
                    records?: (tally.agent.v1.UsageRecord.$Properties[]|null);

                    /** UsageBatch floors */
                    floors?: (tally.agent.v1.StreamFloor.$Properties[]|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a UsageBatch. */
                type $Shape = tally.agent.v1.UsageBatch.$Properties;
            }

            /**
             * Properties of a StreamFloor.
             * @deprecated Use tally.agent.v1.StreamFloor.$Properties instead.
             */
            interface IStreamFloor extends tally.agent.v1.StreamFloor.$Properties {
            }

            /** Represents a StreamFloor. */
            class StreamFloor {

                /**
                 * Constructs a new StreamFloor.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: tally.agent.v1.StreamFloor.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** StreamFloor stream. */
                stream: string;

                /** StreamFloor oldestUnackedSeq. */
                oldestUnackedSeq: number;

                /**
                 * Creates a new StreamFloor instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns StreamFloor instance
                 */
                static create(properties: tally.agent.v1.StreamFloor.$Shape): tally.agent.v1.StreamFloor & tally.agent.v1.StreamFloor.$Shape;
                static create(properties?: tally.agent.v1.StreamFloor.$Properties): tally.agent.v1.StreamFloor;

                /**
                 * Encodes the specified StreamFloor message. Does not implicitly {@link tally.agent.v1.StreamFloor.verify|verify} messages.
                 * @param message StreamFloor message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: tally.agent.v1.StreamFloor.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Encodes the specified StreamFloor message, length delimited. Does not implicitly {@link tally.agent.v1.StreamFloor.verify|verify} messages.
                 * @param message StreamFloor message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encodeDelimited(message: tally.agent.v1.StreamFloor.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a StreamFloor message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {tally.agent.v1.StreamFloor & tally.agent.v1.StreamFloor.$Shape} StreamFloor
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): tally.agent.v1.StreamFloor & tally.agent.v1.StreamFloor.$Shape;

                /**
                 * Decodes a StreamFloor message from the specified reader or buffer, length delimited.
                 * @param reader Reader or buffer to decode from
                 * @returns {tally.agent.v1.StreamFloor & tally.agent.v1.StreamFloor.$Shape} StreamFloor
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): tally.agent.v1.StreamFloor & tally.agent.v1.StreamFloor.$Shape;

                /**
                 * Verifies a StreamFloor message.
                 * @param message Plain object to verify
                 * @returns `null` if valid, otherwise the reason why it is not
                 */
                static verify(message: { [k: string]: any }): (string|null);

                /**
                 * Creates a StreamFloor message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns StreamFloor
                 */
                static fromObject(object: { [k: string]: any }): tally.agent.v1.StreamFloor;

                /**
                 * Creates a plain object from a StreamFloor message. Also converts values to other types if specified.
                 * @param message StreamFloor
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: tally.agent.v1.StreamFloor, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this StreamFloor to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };

                /**
                 * Gets the type url for StreamFloor
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace StreamFloor {

                /** Properties of a StreamFloor. */
                interface $Properties {

                    /** StreamFloor stream */
                    stream?: (string|null);

                    /** StreamFloor oldestUnackedSeq */
                    oldestUnackedSeq?: (number|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a StreamFloor. */
                type $Shape = tally.agent.v1.StreamFloor.$Properties;
            }

            /**
             * Properties of an AgentEvent.
             * @deprecated Use tally.agent.v1.AgentEvent.$Properties instead.
             */
            interface IAgentEvent extends tally.agent.v1.AgentEvent.$Properties {
            }

            /** Represents an AgentEvent. */
            class AgentEvent {

                /**
                 * Constructs a new AgentEvent.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: tally.agent.v1.AgentEvent.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** AgentEvent header. */
                header?: (tally.agent.v1.RecordHeader.$Properties|null);

                /** AgentEvent occurredAtMs. */
                occurredAtMs: number;

                /** AgentEvent uninstalled. */
                uninstalled?: (tally.agent.v1.Uninstalled.$Properties|null);

                /** AgentEvent moduleChanged. */
                moduleChanged?: (tally.agent.v1.ModuleChanged.$Properties|null);

                /** AgentEvent userSignedIn. */
                userSignedIn?: (tally.agent.v1.UserSignedIn.$Properties|null);

                /** AgentEvent kind. */
                kind?: ("uninstalled"|"moduleChanged"|"userSignedIn");

                /**
                 * Creates a new AgentEvent instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns AgentEvent instance
                 */
                static create(properties: tally.agent.v1.AgentEvent.$Shape): tally.agent.v1.AgentEvent & tally.agent.v1.AgentEvent.$Shape;
                static create(properties?: tally.agent.v1.AgentEvent.$Properties): tally.agent.v1.AgentEvent;

                /**
                 * Encodes the specified AgentEvent message. Does not implicitly {@link tally.agent.v1.AgentEvent.verify|verify} messages.
                 * @param message AgentEvent message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: tally.agent.v1.AgentEvent.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Encodes the specified AgentEvent message, length delimited. Does not implicitly {@link tally.agent.v1.AgentEvent.verify|verify} messages.
                 * @param message AgentEvent message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encodeDelimited(message: tally.agent.v1.AgentEvent.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes an AgentEvent message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {tally.agent.v1.AgentEvent & tally.agent.v1.AgentEvent.$Shape} AgentEvent
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): tally.agent.v1.AgentEvent & tally.agent.v1.AgentEvent.$Shape;

                /**
                 * Decodes an AgentEvent message from the specified reader or buffer, length delimited.
                 * @param reader Reader or buffer to decode from
                 * @returns {tally.agent.v1.AgentEvent & tally.agent.v1.AgentEvent.$Shape} AgentEvent
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): tally.agent.v1.AgentEvent & tally.agent.v1.AgentEvent.$Shape;

                /**
                 * Verifies an AgentEvent message.
                 * @param message Plain object to verify
                 * @returns `null` if valid, otherwise the reason why it is not
                 */
                static verify(message: { [k: string]: any }): (string|null);

                /**
                 * Creates an AgentEvent message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns AgentEvent
                 */
                static fromObject(object: { [k: string]: any }): tally.agent.v1.AgentEvent;

                /**
                 * Creates a plain object from an AgentEvent message. Also converts values to other types if specified.
                 * @param message AgentEvent
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: tally.agent.v1.AgentEvent, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this AgentEvent to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };

                /**
                 * Gets the type url for AgentEvent
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace AgentEvent {

                /** Properties of an AgentEvent. */
                interface $Properties {

                    /** AgentEvent header */
                    header?: (tally.agent.v1.RecordHeader.$Properties|null);

                    /** AgentEvent occurredAtMs */
                    occurredAtMs?: (number|null);

                    /** AgentEvent uninstalled */
                    uninstalled?: (tally.agent.v1.Uninstalled.$Properties|null);

                    /** AgentEvent moduleChanged */
                    moduleChanged?: (tally.agent.v1.ModuleChanged.$Properties|null);

                    /** AgentEvent userSignedIn */
                    userSignedIn?: (tally.agent.v1.UserSignedIn.$Properties|null);

                    /** AgentEvent kind */
                    kind?: ("uninstalled"|"moduleChanged"|"userSignedIn");

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Narrowed shape of an AgentEvent. */
                type $Shape = {
                  header?: tally.agent.v1.RecordHeader.$Shape|null;
                  occurredAtMs?: number|null;
                  uninstalled?: tally.agent.v1.Uninstalled.$Shape|null;
                  moduleChanged?: tally.agent.v1.ModuleChanged.$Shape|null;
                  userSignedIn?: tally.agent.v1.UserSignedIn.$Shape|null;
                  $unknowns?: Uint8Array[];
                } & (
                  ({ kind?: undefined; uninstalled?: null; moduleChanged?: null; userSignedIn?: null }|{ kind?: "uninstalled"; uninstalled: tally.agent.v1.Uninstalled.$Shape; moduleChanged?: null; userSignedIn?: null }|{ kind?: "moduleChanged"; uninstalled?: null; moduleChanged: tally.agent.v1.ModuleChanged.$Shape; userSignedIn?: null }|{ kind?: "userSignedIn"; uninstalled?: null; moduleChanged?: null; userSignedIn: tally.agent.v1.UserSignedIn.$Shape })
                );
            }

            /**
             * Properties of an EventBatch.
             * @deprecated Use tally.agent.v1.EventBatch.$Properties instead.
             */
            interface IEventBatch extends tally.agent.v1.EventBatch.$Properties {
            }

            /** Represents an EventBatch. */
            class EventBatch {

                /**
                 * Constructs a new EventBatch.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: tally.agent.v1.EventBatch.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** EventBatch events. */
                events: tally.agent.v1.AgentEvent.$Properties[];

                /** EventBatch floors. */
                floors: tally.agent.v1.StreamFloor.$Properties[];

                /**
                 * Creates a new EventBatch instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns EventBatch instance
                 */
                static create(properties: tally.agent.v1.EventBatch.$Shape): tally.agent.v1.EventBatch & tally.agent.v1.EventBatch.$Shape;
                static create(properties?: tally.agent.v1.EventBatch.$Properties): tally.agent.v1.EventBatch;

                /**
                 * Encodes the specified EventBatch message. Does not implicitly {@link tally.agent.v1.EventBatch.verify|verify} messages.
                 * @param message EventBatch message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: tally.agent.v1.EventBatch.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Encodes the specified EventBatch message, length delimited. Does not implicitly {@link tally.agent.v1.EventBatch.verify|verify} messages.
                 * @param message EventBatch message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encodeDelimited(message: tally.agent.v1.EventBatch.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes an EventBatch message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {tally.agent.v1.EventBatch & tally.agent.v1.EventBatch.$Shape} EventBatch
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): tally.agent.v1.EventBatch & tally.agent.v1.EventBatch.$Shape;

                /**
                 * Decodes an EventBatch message from the specified reader or buffer, length delimited.
                 * @param reader Reader or buffer to decode from
                 * @returns {tally.agent.v1.EventBatch & tally.agent.v1.EventBatch.$Shape} EventBatch
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): tally.agent.v1.EventBatch & tally.agent.v1.EventBatch.$Shape;

                /**
                 * Verifies an EventBatch message.
                 * @param message Plain object to verify
                 * @returns `null` if valid, otherwise the reason why it is not
                 */
                static verify(message: { [k: string]: any }): (string|null);

                /**
                 * Creates an EventBatch message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns EventBatch
                 */
                static fromObject(object: { [k: string]: any }): tally.agent.v1.EventBatch;

                /**
                 * Creates a plain object from an EventBatch message. Also converts values to other types if specified.
                 * @param message EventBatch
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: tally.agent.v1.EventBatch, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this EventBatch to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };

                /**
                 * Gets the type url for EventBatch
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace EventBatch {

                /** Properties of an EventBatch. */
                interface $Properties {

                    /** EventBatch events */
                    events?: (tally.agent.v1.AgentEvent.$Properties[]|null);

                    /** EventBatch floors */
                    floors?: (tally.agent.v1.StreamFloor.$Properties[]|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of an EventBatch. */
                type $Shape = {
                  events?: tally.agent.v1.AgentEvent.$Shape[]|null;
                  floors?: tally.agent.v1.StreamFloor.$Shape[]|null;
                  $unknowns?: Uint8Array[];
                };
            }

            /**
             * Properties of an Uninstalled.
             * @deprecated Use tally.agent.v1.Uninstalled.$Properties instead.
             */
            interface IUninstalled extends tally.agent.v1.Uninstalled.$Properties {
            }

            /** Represents an Uninstalled. */
            class Uninstalled {

                /**
                 * Constructs a new Uninstalled.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: tally.agent.v1.Uninstalled.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** Uninstalled reason. */
                reason: string;

                /**
                 * Creates a new Uninstalled instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns Uninstalled instance
                 */
                static create(properties: tally.agent.v1.Uninstalled.$Shape): tally.agent.v1.Uninstalled & tally.agent.v1.Uninstalled.$Shape;
                static create(properties?: tally.agent.v1.Uninstalled.$Properties): tally.agent.v1.Uninstalled;

                /**
                 * Encodes the specified Uninstalled message. Does not implicitly {@link tally.agent.v1.Uninstalled.verify|verify} messages.
                 * @param message Uninstalled message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: tally.agent.v1.Uninstalled.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Encodes the specified Uninstalled message, length delimited. Does not implicitly {@link tally.agent.v1.Uninstalled.verify|verify} messages.
                 * @param message Uninstalled message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encodeDelimited(message: tally.agent.v1.Uninstalled.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes an Uninstalled message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {tally.agent.v1.Uninstalled & tally.agent.v1.Uninstalled.$Shape} Uninstalled
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): tally.agent.v1.Uninstalled & tally.agent.v1.Uninstalled.$Shape;

                /**
                 * Decodes an Uninstalled message from the specified reader or buffer, length delimited.
                 * @param reader Reader or buffer to decode from
                 * @returns {tally.agent.v1.Uninstalled & tally.agent.v1.Uninstalled.$Shape} Uninstalled
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): tally.agent.v1.Uninstalled & tally.agent.v1.Uninstalled.$Shape;

                /**
                 * Verifies an Uninstalled message.
                 * @param message Plain object to verify
                 * @returns `null` if valid, otherwise the reason why it is not
                 */
                static verify(message: { [k: string]: any }): (string|null);

                /**
                 * Creates an Uninstalled message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns Uninstalled
                 */
                static fromObject(object: { [k: string]: any }): tally.agent.v1.Uninstalled;

                /**
                 * Creates a plain object from an Uninstalled message. Also converts values to other types if specified.
                 * @param message Uninstalled
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: tally.agent.v1.Uninstalled, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this Uninstalled to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };

                /**
                 * Gets the type url for Uninstalled
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace Uninstalled {

                /** Properties of an Uninstalled. */
                interface $Properties {

                    /** Uninstalled reason */
                    reason?: (string|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of an Uninstalled. */
                type $Shape = tally.agent.v1.Uninstalled.$Properties;
            }

            /**
             * Properties of a ModuleChanged.
             * @deprecated Use tally.agent.v1.ModuleChanged.$Properties instead.
             */
            interface IModuleChanged extends tally.agent.v1.ModuleChanged.$Properties {
            }

            /** Represents a ModuleChanged. */
            class ModuleChanged {

                /**
                 * Constructs a new ModuleChanged.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: tally.agent.v1.ModuleChanged.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** ModuleChanged module. */
                module?: (tally.agent.v1.ModuleState.$Properties|null);

                /**
                 * Creates a new ModuleChanged instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns ModuleChanged instance
                 */
                static create(properties: tally.agent.v1.ModuleChanged.$Shape): tally.agent.v1.ModuleChanged & tally.agent.v1.ModuleChanged.$Shape;
                static create(properties?: tally.agent.v1.ModuleChanged.$Properties): tally.agent.v1.ModuleChanged;

                /**
                 * Encodes the specified ModuleChanged message. Does not implicitly {@link tally.agent.v1.ModuleChanged.verify|verify} messages.
                 * @param message ModuleChanged message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: tally.agent.v1.ModuleChanged.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Encodes the specified ModuleChanged message, length delimited. Does not implicitly {@link tally.agent.v1.ModuleChanged.verify|verify} messages.
                 * @param message ModuleChanged message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encodeDelimited(message: tally.agent.v1.ModuleChanged.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a ModuleChanged message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {tally.agent.v1.ModuleChanged & tally.agent.v1.ModuleChanged.$Shape} ModuleChanged
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): tally.agent.v1.ModuleChanged & tally.agent.v1.ModuleChanged.$Shape;

                /**
                 * Decodes a ModuleChanged message from the specified reader or buffer, length delimited.
                 * @param reader Reader or buffer to decode from
                 * @returns {tally.agent.v1.ModuleChanged & tally.agent.v1.ModuleChanged.$Shape} ModuleChanged
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): tally.agent.v1.ModuleChanged & tally.agent.v1.ModuleChanged.$Shape;

                /**
                 * Verifies a ModuleChanged message.
                 * @param message Plain object to verify
                 * @returns `null` if valid, otherwise the reason why it is not
                 */
                static verify(message: { [k: string]: any }): (string|null);

                /**
                 * Creates a ModuleChanged message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns ModuleChanged
                 */
                static fromObject(object: { [k: string]: any }): tally.agent.v1.ModuleChanged;

                /**
                 * Creates a plain object from a ModuleChanged message. Also converts values to other types if specified.
                 * @param message ModuleChanged
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: tally.agent.v1.ModuleChanged, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this ModuleChanged to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };

                /**
                 * Gets the type url for ModuleChanged
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace ModuleChanged {

                /** Properties of a ModuleChanged. */
                interface $Properties {

                    /** ModuleChanged module */
                    module?: (tally.agent.v1.ModuleState.$Properties|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a ModuleChanged. */
                type $Shape = tally.agent.v1.ModuleChanged.$Properties;
            }

            /**
             * Properties of a UserSignedIn.
             * @deprecated Use tally.agent.v1.UserSignedIn.$Properties instead.
             */
            interface IUserSignedIn extends tally.agent.v1.UserSignedIn.$Properties {
            }

            /** Represents a UserSignedIn. */
            class UserSignedIn {

                /**
                 * Constructs a new UserSignedIn.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: tally.agent.v1.UserSignedIn.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** UserSignedIn user. */
                user?: (tally.agent.v1.UserBinding.$Properties|null);

                /**
                 * Creates a new UserSignedIn instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns UserSignedIn instance
                 */
                static create(properties: tally.agent.v1.UserSignedIn.$Shape): tally.agent.v1.UserSignedIn & tally.agent.v1.UserSignedIn.$Shape;
                static create(properties?: tally.agent.v1.UserSignedIn.$Properties): tally.agent.v1.UserSignedIn;

                /**
                 * Encodes the specified UserSignedIn message. Does not implicitly {@link tally.agent.v1.UserSignedIn.verify|verify} messages.
                 * @param message UserSignedIn message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: tally.agent.v1.UserSignedIn.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Encodes the specified UserSignedIn message, length delimited. Does not implicitly {@link tally.agent.v1.UserSignedIn.verify|verify} messages.
                 * @param message UserSignedIn message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encodeDelimited(message: tally.agent.v1.UserSignedIn.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a UserSignedIn message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {tally.agent.v1.UserSignedIn & tally.agent.v1.UserSignedIn.$Shape} UserSignedIn
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): tally.agent.v1.UserSignedIn & tally.agent.v1.UserSignedIn.$Shape;

                /**
                 * Decodes a UserSignedIn message from the specified reader or buffer, length delimited.
                 * @param reader Reader or buffer to decode from
                 * @returns {tally.agent.v1.UserSignedIn & tally.agent.v1.UserSignedIn.$Shape} UserSignedIn
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): tally.agent.v1.UserSignedIn & tally.agent.v1.UserSignedIn.$Shape;

                /**
                 * Verifies a UserSignedIn message.
                 * @param message Plain object to verify
                 * @returns `null` if valid, otherwise the reason why it is not
                 */
                static verify(message: { [k: string]: any }): (string|null);

                /**
                 * Creates a UserSignedIn message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns UserSignedIn
                 */
                static fromObject(object: { [k: string]: any }): tally.agent.v1.UserSignedIn;

                /**
                 * Creates a plain object from a UserSignedIn message. Also converts values to other types if specified.
                 * @param message UserSignedIn
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: tally.agent.v1.UserSignedIn, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this UserSignedIn to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };

                /**
                 * Gets the type url for UserSignedIn
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace UserSignedIn {

                /** Properties of a UserSignedIn. */
                interface $Properties {

                    /** UserSignedIn user */
                    user?: (tally.agent.v1.UserBinding.$Properties|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a UserSignedIn. */
                type $Shape = tally.agent.v1.UserSignedIn.$Properties;
            }

            /**
             * Properties of a DeviceFacts.
             * @deprecated Use tally.agent.v1.DeviceFacts.$Properties instead.
             */
            interface IDeviceFacts extends tally.agent.v1.DeviceFacts.$Properties {
            }

            /** Represents a DeviceFacts. */
            class DeviceFacts {

                /**
                 * Constructs a new DeviceFacts.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: tally.agent.v1.DeviceFacts.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** DeviceFacts identity. */
                identity?: (tally.agent.v1.Identity.$Properties|null);

                /** DeviceFacts hostname. */
                hostname: string;

                /** DeviceFacts os. */
                os?: (tally.agent.v1.OsInfo.$Properties|null);

                /** DeviceFacts virtualization. */
                virtualization?: (tally.agent.v1.Virtualization.$Properties|null);

                /** DeviceFacts role. */
                role?: (tally.agent.v1.Role.$Properties|null);

                /** DeviceFacts hardware. */
                hardware?: (tally.agent.v1.Hardware.$Properties|null);

                /** DeviceFacts modules. */
                modules: tally.agent.v1.ModuleState.$Properties[];

                /** DeviceFacts users. */
                users: tally.agent.v1.UserBinding.$Properties[];

                /** DeviceFacts joinState. */
                joinState: string;

                /** DeviceFacts ipAddresses. */
                ipAddresses: string[];

                /** DeviceFacts ownership. */
                ownership: string;

                /**
                 * Creates a new DeviceFacts instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns DeviceFacts instance
                 */
                static create(properties: tally.agent.v1.DeviceFacts.$Shape): tally.agent.v1.DeviceFacts & tally.agent.v1.DeviceFacts.$Shape;
                static create(properties?: tally.agent.v1.DeviceFacts.$Properties): tally.agent.v1.DeviceFacts;

                /**
                 * Encodes the specified DeviceFacts message. Does not implicitly {@link tally.agent.v1.DeviceFacts.verify|verify} messages.
                 * @param message DeviceFacts message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: tally.agent.v1.DeviceFacts.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Encodes the specified DeviceFacts message, length delimited. Does not implicitly {@link tally.agent.v1.DeviceFacts.verify|verify} messages.
                 * @param message DeviceFacts message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encodeDelimited(message: tally.agent.v1.DeviceFacts.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a DeviceFacts message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {tally.agent.v1.DeviceFacts & tally.agent.v1.DeviceFacts.$Shape} DeviceFacts
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): tally.agent.v1.DeviceFacts & tally.agent.v1.DeviceFacts.$Shape;

                /**
                 * Decodes a DeviceFacts message from the specified reader or buffer, length delimited.
                 * @param reader Reader or buffer to decode from
                 * @returns {tally.agent.v1.DeviceFacts & tally.agent.v1.DeviceFacts.$Shape} DeviceFacts
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): tally.agent.v1.DeviceFacts & tally.agent.v1.DeviceFacts.$Shape;

                /**
                 * Verifies a DeviceFacts message.
                 * @param message Plain object to verify
                 * @returns `null` if valid, otherwise the reason why it is not
                 */
                static verify(message: { [k: string]: any }): (string|null);

                /**
                 * Creates a DeviceFacts message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns DeviceFacts
                 */
                static fromObject(object: { [k: string]: any }): tally.agent.v1.DeviceFacts;

                /**
                 * Creates a plain object from a DeviceFacts message. Also converts values to other types if specified.
                 * @param message DeviceFacts
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: tally.agent.v1.DeviceFacts, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this DeviceFacts to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };

                /**
                 * Gets the type url for DeviceFacts
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace DeviceFacts {

                /** Properties of a DeviceFacts. */
                interface $Properties {

                    /** DeviceFacts identity */
                    identity?: (tally.agent.v1.Identity.$Properties|null);

                    /** DeviceFacts hostname */
                    hostname?: (string|null);

                    /** DeviceFacts os */
                    os?: (tally.agent.v1.OsInfo.$Properties|null);

                    /** DeviceFacts virtualization */
                    virtualization?: (tally.agent.v1.Virtualization.$Properties|null);

                    /** DeviceFacts role */
                    role?: (tally.agent.v1.Role.$Properties|null);

                    /** DeviceFacts hardware */
                    hardware?: (tally.agent.v1.Hardware.$Properties|null);

                    /** DeviceFacts modules */
                    modules?: (tally.agent.v1.ModuleState.$Properties[]|null);

                    /** DeviceFacts users */
                    users?: (tally.agent.v1.UserBinding.$Properties[]|null);

                    /** DeviceFacts joinState */
                    joinState?: (string|null);

                    /** DeviceFacts ipAddresses */
                    ipAddresses?: (string[]|null);

                    /** DeviceFacts ownership */
                    ownership?: (string|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a DeviceFacts. */
                type $Shape = tally.agent.v1.DeviceFacts.$Properties;
            }

            /**
             * Properties of an Identity.
             * @deprecated Use tally.agent.v1.Identity.$Properties instead.
             */
            interface IIdentity extends tally.agent.v1.Identity.$Properties {
            }

            /** Represents an Identity. */
            class Identity {

                /**
                 * Constructs a new Identity.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: tally.agent.v1.Identity.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** Identity hardwareUuid. */
                hardwareUuid: string;

                /** Identity systemSerial. */
                systemSerial: string;

                /** Identity baseboardSerial. */
                baseboardSerial: string;

                /** Identity osMachineId. */
                osMachineId: string;

                /** Identity macs. */
                macs: string[];

                /** Identity cloudInstanceId. */
                cloudInstanceId: string;

                /** Identity agentInstanceId. */
                agentInstanceId: string;

                /**
                 * Creates a new Identity instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns Identity instance
                 */
                static create(properties: tally.agent.v1.Identity.$Shape): tally.agent.v1.Identity & tally.agent.v1.Identity.$Shape;
                static create(properties?: tally.agent.v1.Identity.$Properties): tally.agent.v1.Identity;

                /**
                 * Encodes the specified Identity message. Does not implicitly {@link tally.agent.v1.Identity.verify|verify} messages.
                 * @param message Identity message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: tally.agent.v1.Identity.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Encodes the specified Identity message, length delimited. Does not implicitly {@link tally.agent.v1.Identity.verify|verify} messages.
                 * @param message Identity message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encodeDelimited(message: tally.agent.v1.Identity.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes an Identity message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {tally.agent.v1.Identity & tally.agent.v1.Identity.$Shape} Identity
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): tally.agent.v1.Identity & tally.agent.v1.Identity.$Shape;

                /**
                 * Decodes an Identity message from the specified reader or buffer, length delimited.
                 * @param reader Reader or buffer to decode from
                 * @returns {tally.agent.v1.Identity & tally.agent.v1.Identity.$Shape} Identity
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): tally.agent.v1.Identity & tally.agent.v1.Identity.$Shape;

                /**
                 * Verifies an Identity message.
                 * @param message Plain object to verify
                 * @returns `null` if valid, otherwise the reason why it is not
                 */
                static verify(message: { [k: string]: any }): (string|null);

                /**
                 * Creates an Identity message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns Identity
                 */
                static fromObject(object: { [k: string]: any }): tally.agent.v1.Identity;

                /**
                 * Creates a plain object from an Identity message. Also converts values to other types if specified.
                 * @param message Identity
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: tally.agent.v1.Identity, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this Identity to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };

                /**
                 * Gets the type url for Identity
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace Identity {

                /** Properties of an Identity. */
                interface $Properties {

                    /** Identity hardwareUuid */
                    hardwareUuid?: (string|null);

                    /** Identity systemSerial */
                    systemSerial?: (string|null);

                    /** Identity baseboardSerial */
                    baseboardSerial?: (string|null);

                    /** Identity osMachineId */
                    osMachineId?: (string|null);

                    /** Identity macs */
                    macs?: (string[]|null);

                    /** Identity cloudInstanceId */
                    cloudInstanceId?: (string|null);

                    /** Identity agentInstanceId */
                    agentInstanceId?: (string|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of an Identity. */
                type $Shape = tally.agent.v1.Identity.$Properties;
            }

            /**
             * Properties of an OsInfo.
             * @deprecated Use tally.agent.v1.OsInfo.$Properties instead.
             */
            interface IOsInfo extends tally.agent.v1.OsInfo.$Properties {
            }

            /** Represents an OsInfo. */
            class OsInfo {

                /**
                 * Constructs a new OsInfo.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: tally.agent.v1.OsInfo.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** OsInfo platform. */
                platform: string;

                /** OsInfo name. */
                name: string;

                /** OsInfo version. */
                version: string;

                /** OsInfo build. */
                build: string;

                /** OsInfo arch. */
                arch: string;

                /** OsInfo kernel. */
                kernel: string;

                /**
                 * Creates a new OsInfo instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns OsInfo instance
                 */
                static create(properties: tally.agent.v1.OsInfo.$Shape): tally.agent.v1.OsInfo & tally.agent.v1.OsInfo.$Shape;
                static create(properties?: tally.agent.v1.OsInfo.$Properties): tally.agent.v1.OsInfo;

                /**
                 * Encodes the specified OsInfo message. Does not implicitly {@link tally.agent.v1.OsInfo.verify|verify} messages.
                 * @param message OsInfo message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: tally.agent.v1.OsInfo.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Encodes the specified OsInfo message, length delimited. Does not implicitly {@link tally.agent.v1.OsInfo.verify|verify} messages.
                 * @param message OsInfo message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encodeDelimited(message: tally.agent.v1.OsInfo.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes an OsInfo message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {tally.agent.v1.OsInfo & tally.agent.v1.OsInfo.$Shape} OsInfo
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): tally.agent.v1.OsInfo & tally.agent.v1.OsInfo.$Shape;

                /**
                 * Decodes an OsInfo message from the specified reader or buffer, length delimited.
                 * @param reader Reader or buffer to decode from
                 * @returns {tally.agent.v1.OsInfo & tally.agent.v1.OsInfo.$Shape} OsInfo
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): tally.agent.v1.OsInfo & tally.agent.v1.OsInfo.$Shape;

                /**
                 * Verifies an OsInfo message.
                 * @param message Plain object to verify
                 * @returns `null` if valid, otherwise the reason why it is not
                 */
                static verify(message: { [k: string]: any }): (string|null);

                /**
                 * Creates an OsInfo message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns OsInfo
                 */
                static fromObject(object: { [k: string]: any }): tally.agent.v1.OsInfo;

                /**
                 * Creates a plain object from an OsInfo message. Also converts values to other types if specified.
                 * @param message OsInfo
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: tally.agent.v1.OsInfo, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this OsInfo to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };

                /**
                 * Gets the type url for OsInfo
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace OsInfo {

                /** Properties of an OsInfo. */
                interface $Properties {

                    /** OsInfo platform */
                    platform?: (string|null);

                    /** OsInfo name */
                    name?: (string|null);

                    /** OsInfo version */
                    version?: (string|null);

                    /** OsInfo build */
                    build?: (string|null);

                    /** OsInfo arch */
                    arch?: (string|null);

                    /** OsInfo kernel */
                    kernel?: (string|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of an OsInfo. */
                type $Shape = tally.agent.v1.OsInfo.$Properties;
            }

            /**
             * Properties of a Virtualization.
             * @deprecated Use tally.agent.v1.Virtualization.$Properties instead.
             */
            interface IVirtualization extends tally.agent.v1.Virtualization.$Properties {
            }

            /** Represents a Virtualization. */
            class Virtualization {

                /**
                 * Constructs a new Virtualization.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: tally.agent.v1.Virtualization.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** Virtualization virtual. */
                virtual: boolean;

                /** Virtualization kind. */
                kind: string;

                /** Virtualization category. */
                category: string;

                /** Virtualization evidence. */
                evidence: string[];

                /**
                 * Creates a new Virtualization instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns Virtualization instance
                 */
                static create(properties: tally.agent.v1.Virtualization.$Shape): tally.agent.v1.Virtualization & tally.agent.v1.Virtualization.$Shape;
                static create(properties?: tally.agent.v1.Virtualization.$Properties): tally.agent.v1.Virtualization;

                /**
                 * Encodes the specified Virtualization message. Does not implicitly {@link tally.agent.v1.Virtualization.verify|verify} messages.
                 * @param message Virtualization message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: tally.agent.v1.Virtualization.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Encodes the specified Virtualization message, length delimited. Does not implicitly {@link tally.agent.v1.Virtualization.verify|verify} messages.
                 * @param message Virtualization message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encodeDelimited(message: tally.agent.v1.Virtualization.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a Virtualization message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {tally.agent.v1.Virtualization & tally.agent.v1.Virtualization.$Shape} Virtualization
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): tally.agent.v1.Virtualization & tally.agent.v1.Virtualization.$Shape;

                /**
                 * Decodes a Virtualization message from the specified reader or buffer, length delimited.
                 * @param reader Reader or buffer to decode from
                 * @returns {tally.agent.v1.Virtualization & tally.agent.v1.Virtualization.$Shape} Virtualization
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): tally.agent.v1.Virtualization & tally.agent.v1.Virtualization.$Shape;

                /**
                 * Verifies a Virtualization message.
                 * @param message Plain object to verify
                 * @returns `null` if valid, otherwise the reason why it is not
                 */
                static verify(message: { [k: string]: any }): (string|null);

                /**
                 * Creates a Virtualization message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns Virtualization
                 */
                static fromObject(object: { [k: string]: any }): tally.agent.v1.Virtualization;

                /**
                 * Creates a plain object from a Virtualization message. Also converts values to other types if specified.
                 * @param message Virtualization
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: tally.agent.v1.Virtualization, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this Virtualization to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };

                /**
                 * Gets the type url for Virtualization
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace Virtualization {

                /** Properties of a Virtualization. */
                interface $Properties {

                    /** Virtualization virtual */
                    virtual?: (boolean|null);

                    /** Virtualization kind */
                    kind?: (string|null);

                    /** Virtualization category */
                    category?: (string|null);

                    /** Virtualization evidence */
                    evidence?: (string[]|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a Virtualization. */
                type $Shape = tally.agent.v1.Virtualization.$Properties;
            }

            /**
             * Properties of a Role.
             * @deprecated Use tally.agent.v1.Role.$Properties instead.
             */
            interface IRole extends tally.agent.v1.Role.$Properties {
            }

            /** Represents a Role. */
            class Role {

                /**
                 * Constructs a new Role.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: tally.agent.v1.Role.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** Role role. */
                role: string;

                /** Role evidence. */
                evidence: string[];

                /**
                 * Creates a new Role instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns Role instance
                 */
                static create(properties: tally.agent.v1.Role.$Shape): tally.agent.v1.Role & tally.agent.v1.Role.$Shape;
                static create(properties?: tally.agent.v1.Role.$Properties): tally.agent.v1.Role;

                /**
                 * Encodes the specified Role message. Does not implicitly {@link tally.agent.v1.Role.verify|verify} messages.
                 * @param message Role message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: tally.agent.v1.Role.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Encodes the specified Role message, length delimited. Does not implicitly {@link tally.agent.v1.Role.verify|verify} messages.
                 * @param message Role message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encodeDelimited(message: tally.agent.v1.Role.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a Role message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {tally.agent.v1.Role & tally.agent.v1.Role.$Shape} Role
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): tally.agent.v1.Role & tally.agent.v1.Role.$Shape;

                /**
                 * Decodes a Role message from the specified reader or buffer, length delimited.
                 * @param reader Reader or buffer to decode from
                 * @returns {tally.agent.v1.Role & tally.agent.v1.Role.$Shape} Role
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): tally.agent.v1.Role & tally.agent.v1.Role.$Shape;

                /**
                 * Verifies a Role message.
                 * @param message Plain object to verify
                 * @returns `null` if valid, otherwise the reason why it is not
                 */
                static verify(message: { [k: string]: any }): (string|null);

                /**
                 * Creates a Role message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns Role
                 */
                static fromObject(object: { [k: string]: any }): tally.agent.v1.Role;

                /**
                 * Creates a plain object from a Role message. Also converts values to other types if specified.
                 * @param message Role
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: tally.agent.v1.Role, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this Role to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };

                /**
                 * Gets the type url for Role
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace Role {

                /** Properties of a Role. */
                interface $Properties {

                    /** Role role */
                    role?: (string|null);

                    /** Role evidence */
                    evidence?: (string[]|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a Role. */
                type $Shape = tally.agent.v1.Role.$Properties;
            }

            /**
             * Properties of a Hardware.
             * @deprecated Use tally.agent.v1.Hardware.$Properties instead.
             */
            interface IHardware extends tally.agent.v1.Hardware.$Properties {
            }

            /** Represents a Hardware. */
            class Hardware {

                /**
                 * Constructs a new Hardware.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: tally.agent.v1.Hardware.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** Hardware manufacturer. */
                manufacturer: string;

                /** Hardware model. */
                model: string;

                /** Hardware cpuModel. */
                cpuModel: string;

                /** Hardware cpuCores. */
                cpuCores: number;

                /** Hardware memoryBytes. */
                memoryBytes: number;

                /** Hardware chassis. */
                chassis: string;

                /**
                 * Creates a new Hardware instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns Hardware instance
                 */
                static create(properties: tally.agent.v1.Hardware.$Shape): tally.agent.v1.Hardware & tally.agent.v1.Hardware.$Shape;
                static create(properties?: tally.agent.v1.Hardware.$Properties): tally.agent.v1.Hardware;

                /**
                 * Encodes the specified Hardware message. Does not implicitly {@link tally.agent.v1.Hardware.verify|verify} messages.
                 * @param message Hardware message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: tally.agent.v1.Hardware.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Encodes the specified Hardware message, length delimited. Does not implicitly {@link tally.agent.v1.Hardware.verify|verify} messages.
                 * @param message Hardware message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encodeDelimited(message: tally.agent.v1.Hardware.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a Hardware message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {tally.agent.v1.Hardware & tally.agent.v1.Hardware.$Shape} Hardware
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): tally.agent.v1.Hardware & tally.agent.v1.Hardware.$Shape;

                /**
                 * Decodes a Hardware message from the specified reader or buffer, length delimited.
                 * @param reader Reader or buffer to decode from
                 * @returns {tally.agent.v1.Hardware & tally.agent.v1.Hardware.$Shape} Hardware
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): tally.agent.v1.Hardware & tally.agent.v1.Hardware.$Shape;

                /**
                 * Verifies a Hardware message.
                 * @param message Plain object to verify
                 * @returns `null` if valid, otherwise the reason why it is not
                 */
                static verify(message: { [k: string]: any }): (string|null);

                /**
                 * Creates a Hardware message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns Hardware
                 */
                static fromObject(object: { [k: string]: any }): tally.agent.v1.Hardware;

                /**
                 * Creates a plain object from a Hardware message. Also converts values to other types if specified.
                 * @param message Hardware
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: tally.agent.v1.Hardware, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this Hardware to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };

                /**
                 * Gets the type url for Hardware
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace Hardware {

                /** Properties of a Hardware. */
                interface $Properties {

                    /** Hardware manufacturer */
                    manufacturer?: (string|null);

                    /** Hardware model */
                    model?: (string|null);

                    /** Hardware cpuModel */
                    cpuModel?: (string|null);

                    /** Hardware cpuCores */
                    cpuCores?: (number|null);

                    /** Hardware memoryBytes */
                    memoryBytes?: (number|null);

                    /** Hardware chassis */
                    chassis?: (string|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a Hardware. */
                type $Shape = tally.agent.v1.Hardware.$Properties;
            }

            /**
             * Properties of a ModuleState.
             * @deprecated Use tally.agent.v1.ModuleState.$Properties instead.
             */
            interface IModuleState extends tally.agent.v1.ModuleState.$Properties {
            }

            /** Represents a ModuleState. */
            class ModuleState {

                /**
                 * Constructs a new ModuleState.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: tally.agent.v1.ModuleState.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** ModuleState name. */
                name: string;

                /** ModuleState installed. */
                installed: boolean;

                /** ModuleState tier. */
                tier: string;

                /** ModuleState changedAtMs. */
                changedAtMs: number;

                /** ModuleState source. */
                source: string;

                /**
                 * Creates a new ModuleState instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns ModuleState instance
                 */
                static create(properties: tally.agent.v1.ModuleState.$Shape): tally.agent.v1.ModuleState & tally.agent.v1.ModuleState.$Shape;
                static create(properties?: tally.agent.v1.ModuleState.$Properties): tally.agent.v1.ModuleState;

                /**
                 * Encodes the specified ModuleState message. Does not implicitly {@link tally.agent.v1.ModuleState.verify|verify} messages.
                 * @param message ModuleState message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: tally.agent.v1.ModuleState.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Encodes the specified ModuleState message, length delimited. Does not implicitly {@link tally.agent.v1.ModuleState.verify|verify} messages.
                 * @param message ModuleState message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encodeDelimited(message: tally.agent.v1.ModuleState.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a ModuleState message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {tally.agent.v1.ModuleState & tally.agent.v1.ModuleState.$Shape} ModuleState
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): tally.agent.v1.ModuleState & tally.agent.v1.ModuleState.$Shape;

                /**
                 * Decodes a ModuleState message from the specified reader or buffer, length delimited.
                 * @param reader Reader or buffer to decode from
                 * @returns {tally.agent.v1.ModuleState & tally.agent.v1.ModuleState.$Shape} ModuleState
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): tally.agent.v1.ModuleState & tally.agent.v1.ModuleState.$Shape;

                /**
                 * Verifies a ModuleState message.
                 * @param message Plain object to verify
                 * @returns `null` if valid, otherwise the reason why it is not
                 */
                static verify(message: { [k: string]: any }): (string|null);

                /**
                 * Creates a ModuleState message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns ModuleState
                 */
                static fromObject(object: { [k: string]: any }): tally.agent.v1.ModuleState;

                /**
                 * Creates a plain object from a ModuleState message. Also converts values to other types if specified.
                 * @param message ModuleState
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: tally.agent.v1.ModuleState, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this ModuleState to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };

                /**
                 * Gets the type url for ModuleState
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace ModuleState {

                /** Properties of a ModuleState. */
                interface $Properties {

                    /** ModuleState name */
                    name?: (string|null);

                    /** ModuleState installed */
                    installed?: (boolean|null);

                    /** ModuleState tier */
                    tier?: (string|null);

                    /** ModuleState changedAtMs */
                    changedAtMs?: (number|null);

                    /** ModuleState source */
                    source?: (string|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a ModuleState. */
                type $Shape = tally.agent.v1.ModuleState.$Properties;
            }

            /**
             * Properties of a UserBinding.
             * @deprecated Use tally.agent.v1.UserBinding.$Properties instead.
             */
            interface IUserBinding extends tally.agent.v1.UserBinding.$Properties {
            }

            /** Represents a UserBinding. */
            class UserBinding {

                /**
                 * Constructs a new UserBinding.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: tally.agent.v1.UserBinding.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** UserBinding userId. */
                userId: string;

                /** UserBinding primary. */
                primary: boolean;

                /** UserBinding lastSignInMs. */
                lastSignInMs: number;

                /**
                 * Creates a new UserBinding instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns UserBinding instance
                 */
                static create(properties: tally.agent.v1.UserBinding.$Shape): tally.agent.v1.UserBinding & tally.agent.v1.UserBinding.$Shape;
                static create(properties?: tally.agent.v1.UserBinding.$Properties): tally.agent.v1.UserBinding;

                /**
                 * Encodes the specified UserBinding message. Does not implicitly {@link tally.agent.v1.UserBinding.verify|verify} messages.
                 * @param message UserBinding message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: tally.agent.v1.UserBinding.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Encodes the specified UserBinding message, length delimited. Does not implicitly {@link tally.agent.v1.UserBinding.verify|verify} messages.
                 * @param message UserBinding message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encodeDelimited(message: tally.agent.v1.UserBinding.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a UserBinding message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {tally.agent.v1.UserBinding & tally.agent.v1.UserBinding.$Shape} UserBinding
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): tally.agent.v1.UserBinding & tally.agent.v1.UserBinding.$Shape;

                /**
                 * Decodes a UserBinding message from the specified reader or buffer, length delimited.
                 * @param reader Reader or buffer to decode from
                 * @returns {tally.agent.v1.UserBinding & tally.agent.v1.UserBinding.$Shape} UserBinding
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): tally.agent.v1.UserBinding & tally.agent.v1.UserBinding.$Shape;

                /**
                 * Verifies a UserBinding message.
                 * @param message Plain object to verify
                 * @returns `null` if valid, otherwise the reason why it is not
                 */
                static verify(message: { [k: string]: any }): (string|null);

                /**
                 * Creates a UserBinding message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns UserBinding
                 */
                static fromObject(object: { [k: string]: any }): tally.agent.v1.UserBinding;

                /**
                 * Creates a plain object from a UserBinding message. Also converts values to other types if specified.
                 * @param message UserBinding
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: tally.agent.v1.UserBinding, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this UserBinding to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };

                /**
                 * Gets the type url for UserBinding
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace UserBinding {

                /** Properties of a UserBinding. */
                interface $Properties {

                    /** UserBinding userId */
                    userId?: (string|null);

                    /** UserBinding primary */
                    primary?: (boolean|null);

                    /** UserBinding lastSignInMs */
                    lastSignInMs?: (number|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a UserBinding. */
                type $Shape = tally.agent.v1.UserBinding.$Properties;
            }

            /**
             * Properties of a CollectorEnvelope.
             * @deprecated Use tally.agent.v1.CollectorEnvelope.$Properties instead.
             */
            interface ICollectorEnvelope extends tally.agent.v1.CollectorEnvelope.$Properties {
            }

            /** Represents a CollectorEnvelope. */
            class CollectorEnvelope {

                /**
                 * Constructs a new CollectorEnvelope.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: tally.agent.v1.CollectorEnvelope.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** CollectorEnvelope welcome. */
                welcome?: (tally.agent.v1.Welcome.$Properties|null);

                /** CollectorEnvelope ack. */
                ack?: (tally.agent.v1.Ack.$Properties|null);

                /** CollectorEnvelope error. */
                error?: (tally.agent.v1.Error.$Properties|null);

                /** CollectorEnvelope body. */
                body?: ("welcome"|"ack"|"error");

                /**
                 * Creates a new CollectorEnvelope instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns CollectorEnvelope instance
                 */
                static create(properties: tally.agent.v1.CollectorEnvelope.$Shape): tally.agent.v1.CollectorEnvelope & tally.agent.v1.CollectorEnvelope.$Shape;
                static create(properties?: tally.agent.v1.CollectorEnvelope.$Properties): tally.agent.v1.CollectorEnvelope;

                /**
                 * Encodes the specified CollectorEnvelope message. Does not implicitly {@link tally.agent.v1.CollectorEnvelope.verify|verify} messages.
                 * @param message CollectorEnvelope message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: tally.agent.v1.CollectorEnvelope.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Encodes the specified CollectorEnvelope message, length delimited. Does not implicitly {@link tally.agent.v1.CollectorEnvelope.verify|verify} messages.
                 * @param message CollectorEnvelope message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encodeDelimited(message: tally.agent.v1.CollectorEnvelope.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a CollectorEnvelope message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {tally.agent.v1.CollectorEnvelope & tally.agent.v1.CollectorEnvelope.$Shape} CollectorEnvelope
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): tally.agent.v1.CollectorEnvelope & tally.agent.v1.CollectorEnvelope.$Shape;

                /**
                 * Decodes a CollectorEnvelope message from the specified reader or buffer, length delimited.
                 * @param reader Reader or buffer to decode from
                 * @returns {tally.agent.v1.CollectorEnvelope & tally.agent.v1.CollectorEnvelope.$Shape} CollectorEnvelope
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): tally.agent.v1.CollectorEnvelope & tally.agent.v1.CollectorEnvelope.$Shape;

                /**
                 * Verifies a CollectorEnvelope message.
                 * @param message Plain object to verify
                 * @returns `null` if valid, otherwise the reason why it is not
                 */
                static verify(message: { [k: string]: any }): (string|null);

                /**
                 * Creates a CollectorEnvelope message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns CollectorEnvelope
                 */
                static fromObject(object: { [k: string]: any }): tally.agent.v1.CollectorEnvelope;

                /**
                 * Creates a plain object from a CollectorEnvelope message. Also converts values to other types if specified.
                 * @param message CollectorEnvelope
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: tally.agent.v1.CollectorEnvelope, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this CollectorEnvelope to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };

                /**
                 * Gets the type url for CollectorEnvelope
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace CollectorEnvelope {

                /** Properties of a CollectorEnvelope. */
                interface $Properties {

                    /** CollectorEnvelope welcome */
                    welcome?: (tally.agent.v1.Welcome.$Properties|null);

                    /** CollectorEnvelope ack */
                    ack?: (tally.agent.v1.Ack.$Properties|null);

                    /** CollectorEnvelope error */
                    error?: (tally.agent.v1.Error.$Properties|null);

                    /** CollectorEnvelope body */
                    body?: ("welcome"|"ack"|"error");

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Narrowed shape of a CollectorEnvelope. */
                type $Shape = {
                  welcome?: tally.agent.v1.Welcome.$Shape|null;
                  ack?: tally.agent.v1.Ack.$Shape|null;
                  error?: tally.agent.v1.Error.$Shape|null;
                  $unknowns?: Uint8Array[];
                } & (
                  ({ body?: undefined; welcome?: null; ack?: null; error?: null }|{ body?: "welcome"; welcome: tally.agent.v1.Welcome.$Shape; ack?: null; error?: null }|{ body?: "ack"; welcome?: null; ack: tally.agent.v1.Ack.$Shape; error?: null }|{ body?: "error"; welcome?: null; ack?: null; error: tally.agent.v1.Error.$Shape })
                );
            }

            /**
             * Properties of a Welcome.
             * @deprecated Use tally.agent.v1.Welcome.$Properties instead.
             */
            interface IWelcome extends tally.agent.v1.Welcome.$Properties {
            }

            /** Represents a Welcome. */
            class Welcome {

                /**
                 * Constructs a new Welcome.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: tally.agent.v1.Welcome.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** Welcome deviceId. */
                deviceId: string;

                /** Welcome deviceKey. */
                deviceKey: string;

                /** Welcome serverTimeMs. */
                serverTimeMs: number;

                /** Welcome companyId. */
                companyId: string;

                /**
                 * Creates a new Welcome instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns Welcome instance
                 */
                static create(properties: tally.agent.v1.Welcome.$Shape): tally.agent.v1.Welcome & tally.agent.v1.Welcome.$Shape;
                static create(properties?: tally.agent.v1.Welcome.$Properties): tally.agent.v1.Welcome;

                /**
                 * Encodes the specified Welcome message. Does not implicitly {@link tally.agent.v1.Welcome.verify|verify} messages.
                 * @param message Welcome message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: tally.agent.v1.Welcome.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Encodes the specified Welcome message, length delimited. Does not implicitly {@link tally.agent.v1.Welcome.verify|verify} messages.
                 * @param message Welcome message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encodeDelimited(message: tally.agent.v1.Welcome.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a Welcome message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {tally.agent.v1.Welcome & tally.agent.v1.Welcome.$Shape} Welcome
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): tally.agent.v1.Welcome & tally.agent.v1.Welcome.$Shape;

                /**
                 * Decodes a Welcome message from the specified reader or buffer, length delimited.
                 * @param reader Reader or buffer to decode from
                 * @returns {tally.agent.v1.Welcome & tally.agent.v1.Welcome.$Shape} Welcome
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): tally.agent.v1.Welcome & tally.agent.v1.Welcome.$Shape;

                /**
                 * Verifies a Welcome message.
                 * @param message Plain object to verify
                 * @returns `null` if valid, otherwise the reason why it is not
                 */
                static verify(message: { [k: string]: any }): (string|null);

                /**
                 * Creates a Welcome message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns Welcome
                 */
                static fromObject(object: { [k: string]: any }): tally.agent.v1.Welcome;

                /**
                 * Creates a plain object from a Welcome message. Also converts values to other types if specified.
                 * @param message Welcome
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: tally.agent.v1.Welcome, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this Welcome to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };

                /**
                 * Gets the type url for Welcome
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace Welcome {

                /** Properties of a Welcome. */
                interface $Properties {

                    /** Welcome deviceId */
                    deviceId?: (string|null);

                    /** Welcome deviceKey */
                    deviceKey?: (string|null);

                    /** Welcome serverTimeMs */
                    serverTimeMs?: (number|null);

                    /** Welcome companyId */
                    companyId?: (string|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a Welcome. */
                type $Shape = tally.agent.v1.Welcome.$Properties;
            }

            /**
             * Properties of an Ack.
             * @deprecated Use tally.agent.v1.Ack.$Properties instead.
             */
            interface IAck extends tally.agent.v1.Ack.$Properties {
            }

            /** Represents an Ack. */
            class Ack {

                /**
                 * Constructs a new Ack.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: tally.agent.v1.Ack.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** Ack stream. */
                stream: string;

                /** Ack seqs. */
                seqs: number[];

                /** Ack rejected. */
                rejected: tally.agent.v1.Rejection.$Properties[];

                /**
                 * Creates a new Ack instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns Ack instance
                 */
                static create(properties: tally.agent.v1.Ack.$Shape): tally.agent.v1.Ack & tally.agent.v1.Ack.$Shape;
                static create(properties?: tally.agent.v1.Ack.$Properties): tally.agent.v1.Ack;

                /**
                 * Encodes the specified Ack message. Does not implicitly {@link tally.agent.v1.Ack.verify|verify} messages.
                 * @param message Ack message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: tally.agent.v1.Ack.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Encodes the specified Ack message, length delimited. Does not implicitly {@link tally.agent.v1.Ack.verify|verify} messages.
                 * @param message Ack message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encodeDelimited(message: tally.agent.v1.Ack.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes an Ack message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {tally.agent.v1.Ack & tally.agent.v1.Ack.$Shape} Ack
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): tally.agent.v1.Ack & tally.agent.v1.Ack.$Shape;

                /**
                 * Decodes an Ack message from the specified reader or buffer, length delimited.
                 * @param reader Reader or buffer to decode from
                 * @returns {tally.agent.v1.Ack & tally.agent.v1.Ack.$Shape} Ack
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): tally.agent.v1.Ack & tally.agent.v1.Ack.$Shape;

                /**
                 * Verifies an Ack message.
                 * @param message Plain object to verify
                 * @returns `null` if valid, otherwise the reason why it is not
                 */
                static verify(message: { [k: string]: any }): (string|null);

                /**
                 * Creates an Ack message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns Ack
                 */
                static fromObject(object: { [k: string]: any }): tally.agent.v1.Ack;

                /**
                 * Creates a plain object from an Ack message. Also converts values to other types if specified.
                 * @param message Ack
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: tally.agent.v1.Ack, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this Ack to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };

                /**
                 * Gets the type url for Ack
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace Ack {

                /** Properties of an Ack. */
                interface $Properties {

                    /** Ack stream */
                    stream?: (string|null);

                    /** Ack seqs */
                    seqs?: (number[]|null);

                    /** Ack rejected */
                    rejected?: (tally.agent.v1.Rejection.$Properties[]|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of an Ack. */
                type $Shape = tally.agent.v1.Ack.$Properties;
            }

            /**
             * Properties of a Rejection.
             * @deprecated Use tally.agent.v1.Rejection.$Properties instead.
             */
            interface IRejection extends tally.agent.v1.Rejection.$Properties {
            }

            /** Represents a Rejection. */
            class Rejection {

                /**
                 * Constructs a new Rejection.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: tally.agent.v1.Rejection.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** Rejection seq. */
                seq: number;

                /** Rejection code. */
                code: tally.agent.v1.ErrorCode;

                /** Rejection message. */
                message: string;

                /**
                 * Creates a new Rejection instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns Rejection instance
                 */
                static create(properties: tally.agent.v1.Rejection.$Shape): tally.agent.v1.Rejection & tally.agent.v1.Rejection.$Shape;
                static create(properties?: tally.agent.v1.Rejection.$Properties): tally.agent.v1.Rejection;

                /**
                 * Encodes the specified Rejection message. Does not implicitly {@link tally.agent.v1.Rejection.verify|verify} messages.
                 * @param message Rejection message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: tally.agent.v1.Rejection.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Encodes the specified Rejection message, length delimited. Does not implicitly {@link tally.agent.v1.Rejection.verify|verify} messages.
                 * @param message Rejection message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encodeDelimited(message: tally.agent.v1.Rejection.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a Rejection message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {tally.agent.v1.Rejection & tally.agent.v1.Rejection.$Shape} Rejection
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): tally.agent.v1.Rejection & tally.agent.v1.Rejection.$Shape;

                /**
                 * Decodes a Rejection message from the specified reader or buffer, length delimited.
                 * @param reader Reader or buffer to decode from
                 * @returns {tally.agent.v1.Rejection & tally.agent.v1.Rejection.$Shape} Rejection
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): tally.agent.v1.Rejection & tally.agent.v1.Rejection.$Shape;

                /**
                 * Verifies a Rejection message.
                 * @param message Plain object to verify
                 * @returns `null` if valid, otherwise the reason why it is not
                 */
                static verify(message: { [k: string]: any }): (string|null);

                /**
                 * Creates a Rejection message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns Rejection
                 */
                static fromObject(object: { [k: string]: any }): tally.agent.v1.Rejection;

                /**
                 * Creates a plain object from a Rejection message. Also converts values to other types if specified.
                 * @param message Rejection
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: tally.agent.v1.Rejection, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this Rejection to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };

                /**
                 * Gets the type url for Rejection
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace Rejection {

                /** Properties of a Rejection. */
                interface $Properties {

                    /** Rejection seq */
                    seq?: (number|null);

                    /** Rejection code */
                    code?: (tally.agent.v1.ErrorCode|null);

                    /** Rejection message */
                    message?: (string|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a Rejection. */
                type $Shape = tally.agent.v1.Rejection.$Properties;
            }

            /**
             * Properties of an Error.
             * @deprecated Use tally.agent.v1.Error.$Properties instead.
             */
            interface IError extends tally.agent.v1.Error.$Properties {
            }

            /** Represents an Error. */
            class Error {

                /**
                 * Constructs a new Error.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: tally.agent.v1.Error.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** Error code. */
                code: tally.agent.v1.ErrorCode;

                /** Error message. */
                message: string;

                /**
                 * Creates a new Error instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns Error instance
                 */
                static create(properties: tally.agent.v1.Error.$Shape): tally.agent.v1.Error & tally.agent.v1.Error.$Shape;
                static create(properties?: tally.agent.v1.Error.$Properties): tally.agent.v1.Error;

                /**
                 * Encodes the specified Error message. Does not implicitly {@link tally.agent.v1.Error.verify|verify} messages.
                 * @param message Error message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: tally.agent.v1.Error.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Encodes the specified Error message, length delimited. Does not implicitly {@link tally.agent.v1.Error.verify|verify} messages.
                 * @param message Error message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encodeDelimited(message: tally.agent.v1.Error.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes an Error message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {tally.agent.v1.Error & tally.agent.v1.Error.$Shape} Error
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): tally.agent.v1.Error & tally.agent.v1.Error.$Shape;

                /**
                 * Decodes an Error message from the specified reader or buffer, length delimited.
                 * @param reader Reader or buffer to decode from
                 * @returns {tally.agent.v1.Error & tally.agent.v1.Error.$Shape} Error
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): tally.agent.v1.Error & tally.agent.v1.Error.$Shape;

                /**
                 * Verifies an Error message.
                 * @param message Plain object to verify
                 * @returns `null` if valid, otherwise the reason why it is not
                 */
                static verify(message: { [k: string]: any }): (string|null);

                /**
                 * Creates an Error message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns Error
                 */
                static fromObject(object: { [k: string]: any }): tally.agent.v1.Error;

                /**
                 * Creates a plain object from an Error message. Also converts values to other types if specified.
                 * @param message Error
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: tally.agent.v1.Error, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this Error to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };

                /**
                 * Gets the type url for Error
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace Error {

                /** Properties of an Error. */
                interface $Properties {

                    /** Error code */
                    code?: (tally.agent.v1.ErrorCode|null);

                    /** Error message */
                    message?: (string|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of an Error. */
                type $Shape = tally.agent.v1.Error.$Properties;
            }

            /** ErrorCode enum. */
            enum ErrorCode {

                /** ERROR_CODE_UNSPECIFIED value */
                ERROR_CODE_UNSPECIFIED = 0,

                /** BAD_FRAME value */
                BAD_FRAME = 1,

                /** UNKNOWN_MESSAGE value */
                UNKNOWN_MESSAGE = 2,

                /** FRAME_TOO_LARGE value */
                FRAME_TOO_LARGE = 3,

                /** INVALID_TOKEN value */
                INVALID_TOKEN = 4,

                /** INVALID_DEVICE_KEY value */
                INVALID_DEVICE_KEY = 5,

                /** PROTOCOL_VIOLATION value */
                PROTOCOL_VIOLATION = 6,

                /** INVALID_RECORD value */
                INVALID_RECORD = 7,

                /** COMPANY_INACTIVE value */
                COMPANY_INACTIVE = 8,

                /** RATE_LIMITED value */
                RATE_LIMITED = 9,

                /** STORAGE_UNAVAILABLE value */
                STORAGE_UNAVAILABLE = 10,

                /** INTERNAL value */
                INTERNAL = 11,

                /** CLONE_DETECTED value */
                CLONE_DETECTED = 12,

                /** OUT_OF_RANGE value */
                OUT_OF_RANGE = 13,

                /** TOKEN_EXHAUSTED value */
                TOKEN_EXHAUSTED = 14,

                /** CONNECTION_REPLACED value */
                CONNECTION_REPLACED = 15,

                /** EVENT_TOO_LARGE value */
                EVENT_TOO_LARGE = 16,

                /** TOO_MANY_STREAMS value */
                TOO_MANY_STREAMS = 17,

                /** TOO_MANY_EVENTS value */
                TOO_MANY_EVENTS = 18
            }
        }
    }
}
