//! Audio features and audio analysis (deprecated endpoints, kept for Extended-Quota apps).

use serde::{Deserialize, Serialize};

use crate::prelude::*;

/// Audio features of a track (`AudioFeaturesObject`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AudioFeatures {
    /// A confidence measure from 0.0 to 1.0 of whether the track is acoustic. 1.0 represents high confidence the track is acoustic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acousticness: Option<Number>,
    /// A URL to access the full audio analysis of this track. An access token is required to access this data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analysis_url: Option<String>,
    /// Danceability describes how suitable a track is for dancing based on a combination of musical elements including tempo, rhythm stability, beat strength, and overall regularity. A value of 0.0 is least danceable and 1.0 is most danceable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub danceability: Option<Number>,
    /// The duration of the track in milliseconds.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub duration_ms: u64,
    /// Energy is a measure from 0.0 to 1.0 and represents a perceptual measure of intensity and activity. Typically, energetic tracks feel fast, loud, and noisy. For example, death metal has high energy, while a Bach prelude scores low on the scale. Perceptual features contributing to this attribute include dynamic range, perceived loudness, timbre, onset rate, and general entropy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub energy: Option<Number>,
    /// The Spotify ID for the track.
    #[serde(
        default,
        deserialize_with = "crate::de::id",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<TrackId>,
    /// Predicts whether a track contains no vocals. "Ooh" and "aah" sounds are treated as instrumental in this context. Rap or spoken word tracks are clearly "vocal". The closer the instrumentalness value is to 1.0, the greater likelihood the track contains no vocal content. Values above 0.5 are intended to represent instrumental tracks, but confidence is higher as the value approaches 1.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instrumentalness: Option<Number>,
    /// The key the track is in. Integers map to pitches using standard [Pitch Class notation](https://en.wikipedia.org/wiki/Pitch_class). E.g. 0 = C, 1 = C♯/D♭, 2 = D, and so on. If no key was detected, the value is -1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<Key>,
    /// Detects the presence of an audience in the recording. Higher liveness values represent an increased probability that the track was performed live. A value above 0.8 provides strong likelihood that the track is live.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub liveness: Option<Number>,
    /// The overall loudness of a track in decibels (dB). Loudness values are averaged across the entire track and are useful for comparing relative loudness of tracks. Loudness is the quality of a sound that is the primary psychological correlate of physical strength (amplitude). Values typically range between -60 and 0 db.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loudness: Option<Loudness>,
    /// Mode indicates the modality (major or minor) of a track, the type of scale from which its melodic content is derived. Major is represented by 1 and minor is 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<Mode>,
    /// Speechiness detects the presence of spoken words in a track. The more exclusively speech-like the recording (e.g. talk show, audio book, poetry), the closer to 1.0 the attribute value. Values above 0.66 describe tracks that are probably made entirely of spoken words. Values between 0.33 and 0.66 describe tracks that may contain both music and speech, either in sections or layered, including such cases as rap music. Values below 0.33 most likely represent music and other non-speech-like tracks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speechiness: Option<Number>,
    /// The overall estimated tempo of a track in beats per minute (BPM). In musical terminology, tempo is the speed or pace of a given piece and derives directly from the average beat duration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tempo: Option<Tempo>,
    /// An estimated time signature. The time signature (meter) is a notational convention to specify how many beats are in each bar (or measure). The time signature ranges from 3 to 7 indicating time signatures of "3/4", to "7/4".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_signature: Option<TimeSignature>,
    /// A link to the Web API endpoint providing full details of the track.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub track_href: Option<String>,
    /// The object type.
    #[serde(rename = "type", default, deserialize_with = "crate::de::null_default")]
    pub kind: ItemType,
    /// The Spotify URI for the track.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub uri: String,
    /// A measure from 0.0 to 1.0 describing the musical positiveness conveyed by a track. Tracks with high valence sound more positive (e.g. happy, cheerful, euphoric), while tracks with low valence sound more negative (e.g. sad, depressed, angry).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valence: Option<Number>,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Low-level audio analysis of a track (`AudioAnalysisObject`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AudioAnalysis {
    /// The `meta` member.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<AudioAnalysisMeta>,
    /// The `track` member.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub track: Option<AudioAnalysisTrack>,
    /// The time intervals of the bars throughout the track. A bar (or measure) is a segment of time defined as a given number of beats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bars: Option<Vec<TimeInterval>>,
    /// The time intervals of beats throughout the track. A beat is the basic time unit of a piece of music; for example, each tick of a metronome. Beats are typically multiples of tatums.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub beats: Option<Vec<TimeInterval>>,
    /// Sections are defined by large variations in rhythm or timbre, e.g. chorus, verse, bridge, guitar solo, etc. Each section contains its own descriptions of tempo, key, mode, time_signature, and loudness.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sections: Option<Vec<Section>>,
    /// Each segment contains a roughly conisistent sound throughout its duration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segments: Option<Vec<Segment>>,
    /// A tatum represents the lowest regular pulse train that a listener intuitively infers from the timing of perceived musical events (segments).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tatums: Option<Vec<TimeInterval>>,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A bar, beat or tatum of an audio analysis (`TimeIntervalObject`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TimeInterval {
    /// The starting point (in seconds) of the time interval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<Number>,
    /// The duration (in seconds) of the time interval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<Number>,
    /// The confidence, from 0.0 to 1.0, of the reliability of the interval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<Number>,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A section of an audio analysis (`SectionObject`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Section {
    /// The starting point (in seconds) of the section.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<Number>,
    /// The duration (in seconds) of the section.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<Number>,
    /// The confidence, from 0.0 to 1.0, of the reliability of the section's "designation".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<Number>,
    /// The overall loudness of the section in decibels (dB). Loudness values are useful for comparing relative loudness of sections within tracks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loudness: Option<Number>,
    /// The overall estimated tempo of the section in beats per minute (BPM). In musical terminology, tempo is the speed or pace of a given piece and derives directly from the average beat duration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tempo: Option<Number>,
    /// The confidence, from 0.0 to 1.0, of the reliability of the tempo. Some tracks contain tempo changes or sounds which don't contain tempo (like pure speech) which would correspond to a low value in this field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tempo_confidence: Option<Number>,
    /// The estimated overall key of the section. The values in this field ranging from 0 to 11 mapping to pitches using standard Pitch Class notation (E.g. 0 = C, 1 = C♯/D♭, 2 = D, and so on). If no key was detected, the value is -1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<i32>,
    /// The confidence, from 0.0 to 1.0, of the reliability of the key. Songs with many key changes may correspond to low values in this field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_confidence: Option<Number>,
    /// Indicates the modality (major or minor) of a section, the type of scale from which its melodic content is derived. This field will contain a 0 for "minor", a 1 for "major", or a -1 for no result. Note that the major key (e.g. C major) could more likely be confused with the minor key at 3 semitones lower (e.g. A minor) as both keys carry the same pitches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<Number>,
    /// The confidence, from 0.0 to 1.0, of the reliability of the `mode`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode_confidence: Option<Number>,
    /// An estimated time signature. The time signature (meter) is a notational convention to specify how many beats are in each bar (or measure). The time signature ranges from 3 to 7 indicating time signatures of "3/4", to "7/4".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_signature: Option<TimeSignature>,
    /// The confidence, from 0.0 to 1.0, of the reliability of the `time_signature`. Sections with time signature changes may correspond to low values in this field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_signature_confidence: Option<Number>,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A segment of an audio analysis (`SegmentObject`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Segment {
    /// The starting point (in seconds) of the segment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<Number>,
    /// The duration (in seconds) of the segment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<Number>,
    /// The confidence, from 0.0 to 1.0, of the reliability of the segmentation. Segments of the song which are difficult to logically segment (e.g: noise) may correspond to low values in this field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<Number>,
    /// The onset loudness of the segment in decibels (dB). Combined with `loudness_max` and `loudness_max_time`, these components can be used to describe the "attack" of the segment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loudness_start: Option<Number>,
    /// The peak loudness of the segment in decibels (dB). Combined with `loudness_start` and `loudness_max_time`, these components can be used to describe the "attack" of the segment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loudness_max: Option<Number>,
    /// The segment-relative offset of the segment peak loudness in seconds. Combined with `loudness_start` and `loudness_max`, these components can be used to desctibe the "attack" of the segment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loudness_max_time: Option<Number>,
    /// The offset loudness of the segment in decibels (dB). This value should be equivalent to the loudness_start of the following segment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loudness_end: Option<Number>,
    /// Pitch content is given by a “chroma” vector, corresponding to the 12 pitch classes C, C#, D to B, with values ranging from 0 to 1 that describe the relative dominance of every pitch in the chromatic scale. For example a C Major chord would likely be represented by large values of C, E and G (i.e. classes 0, 4, and 7).
    ///
    /// Vectors are normalized to 1 by their strongest dimension, therefore noisy sounds are likely represented by values that are all close to 1, while pure tones are described by one value at 1 (the pitch) and others near 0.
    /// As can be seen below, the 12 vector indices are a combination of low-power spectrum values at their respective pitch frequencies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pitches: Option<Vec<Number>>,
    /// Timbre is the quality of a musical note or sound that distinguishes different types of musical instruments, or voices. It is a complex notion also referred to as sound color, texture, or tone quality, and is derived from the shape of a segment’s spectro-temporal surface, independently of pitch and loudness. The timbre feature is a vector that includes 12 unbounded values roughly centered around 0. Those values are high level abstractions of the spectral surface, ordered by degree of importance.
    ///
    /// For completeness however, the first dimension represents the average loudness of the segment; second emphasizes brightness; third is more closely correlated to the flatness of a sound; fourth to sounds with a stronger attack; etc. See an image below representing the 12 basis functions (i.e. template segments).
    ///
    /// The actual timbre of the segment is best described as a linear combination of these 12 basis functions weighted by the coefficient values: timbre = c1 x b1 + c2 x b2 + ... + c12 x b12, where c1 to c12 represent the 12 coefficients and b1 to b12 the 12 basis functions as displayed below. Timbre vectors are best used in comparison with each other.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timbre: Option<Vec<Number>>,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The `meta` member of an [`AudioAnalysis`]: how the analysis was made.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AudioAnalysisMeta {
    /// The version of the Analyzer used to analyze this track.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analyzer_version: Option<String>,
    /// The platform used to read the track's audio data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    /// A detailed status code for this track. If analysis data is missing, this code may explain why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detailed_status: Option<String>,
    /// The return code of the analyzer process. 0 if successful, 1 if any errors occurred.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_code: Option<i32>,
    /// The Unix timestamp (in seconds) at which this track was analyzed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<i64>,
    /// The amount of time taken to analyze this track.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analysis_time: Option<Number>,
    /// The method used to read the track's audio data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_process: Option<String>,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The `track` member of an [`AudioAnalysis`]: whole-track values.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AudioAnalysisTrack {
    /// The exact number of audio samples analyzed from this track. See also `analysis_sample_rate`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub num_samples: Option<u64>,
    /// Length of the track in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<Number>,
    /// This field will always contain the empty string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sample_md5: Option<String>,
    /// An offset to the start of the region of the track that was analyzed. (As the entire track is analyzed, this should always be 0.)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset_seconds: Option<u32>,
    /// The length of the region of the track was analyzed, if a subset of the track was analyzed. (As the entire track is analyzed, this should always be 0.)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window_seconds: Option<u32>,
    /// The sample rate used to decode and analyze this track. May differ from the actual sample rate of this track available on Spotify.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analysis_sample_rate: Option<u32>,
    /// The number of channels used for analysis. If 1, all channels are summed together to mono before analysis.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analysis_channels: Option<u32>,
    /// The time, in seconds, at which the track's fade-in period ends. If the track has no fade-in, this will be 0.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_of_fade_in: Option<Number>,
    /// The time, in seconds, at which the track's fade-out period starts. If the track has no fade-out, this should match the track's length.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_of_fade_out: Option<Number>,
    /// The overall loudness of a track in decibels (dB). Loudness values are averaged across the entire track and are useful for comparing relative loudness of tracks. Loudness is the quality of a sound that is the primary psychological correlate of physical strength (amplitude). Values typically range between -60 and 0 db.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loudness: Option<Loudness>,
    /// The overall estimated tempo of a track in beats per minute (BPM). In musical terminology, tempo is the speed or pace of a given piece and derives directly from the average beat duration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tempo: Option<Tempo>,
    /// The confidence, from 0.0 to 1.0, of the reliability of the `tempo`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tempo_confidence: Option<Number>,
    /// An estimated time signature. The time signature (meter) is a notational convention to specify how many beats are in each bar (or measure). The time signature ranges from 3 to 7 indicating time signatures of "3/4", to "7/4".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_signature: Option<TimeSignature>,
    /// The confidence, from 0.0 to 1.0, of the reliability of the `time_signature`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_signature_confidence: Option<Number>,
    /// The key the track is in. Integers map to pitches using standard [Pitch Class notation](https://en.wikipedia.org/wiki/Pitch_class). E.g. 0 = C, 1 = C♯/D♭, 2 = D, and so on. If no key was detected, the value is -1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<Key>,
    /// The confidence, from 0.0 to 1.0, of the reliability of the `key`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_confidence: Option<Number>,
    /// Mode indicates the modality (major or minor) of a track, the type of scale from which its melodic content is derived. Major is represented by 1 and minor is 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<Mode>,
    /// The confidence, from 0.0 to 1.0, of the reliability of the `mode`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode_confidence: Option<Number>,
    /// An [Echo Nest Musical Fingerprint (ENMFP)](https://academiccommons.columbia.edu/doi/10.7916/D8Q248M4) codestring for this track.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub codestring: Option<String>,
    /// A version number for the Echo Nest Musical Fingerprint format used in the codestring field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_version: Option<Number>,
    /// An [EchoPrint](https://github.com/spotify/echoprint-codegen) codestring for this track.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub echoprintstring: Option<String>,
    /// A version number for the EchoPrint format used in the echoprintstring field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub echoprint_version: Option<Number>,
    /// A [Synchstring](https://github.com/echonest/synchdata) for this track.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub synchstring: Option<String>,
    /// A version number for the Synchstring used in the synchstring field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub synch_version: Option<Number>,
    /// A Rhythmstring for this track. The format of this string is similar to the Synchstring.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rhythmstring: Option<String>,
    /// A version number for the Rhythmstring used in the rhythmstring field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rhythm_version: Option<Number>,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `TimeSignature`: beats per bar, 3 to 7 (meaning 3/4 to 7/4).
pub type TimeSignature = i32;
/// `Tempo`: the estimated tempo in beats per minute.
pub type Tempo = Number;
/// `Loudness`: the loudness in decibels, typically between -60 and 0.
pub type Loudness = Number;
/// `Key`: the pitch class of the key (0 = C, 1 = C♯/D♭, …), -1 if none was detected.
pub type Key = i32;
/// `Mode`: 1 for major, 0 for minor.
pub type Mode = i32;
